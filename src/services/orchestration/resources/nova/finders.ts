import type { RequestContext } from '../../../../context.js';
import { NotFound } from '../../../../errors.js';
import { pyRepr } from '../../../../http/pyrepr.js';
import { isUuid } from '../../../../util.js';
import { NO_QUERY } from '../../../network/listing.js';
import { HeatFault, entityNotFound } from '../../errors.js';
import type { EngineServices } from '../types.js';

/**
 * How Heat's client plugins find what a template names (heat/engine/clients/os/{glance,nova,
 * neutron}.py), with the texts their failures carry: the image by id, then by name; the flavor
 * by id, then by name (novaclient's `find`); a key pair by name.
 */

/**
 * The microversion Heat's Nova client speaks: the compute service's newest (microversion_mixin
 * asks Nova for its current version), which is what `show` and the views follow.
 */
export const NOVA_MICROVERSION: [number, number] = [2, 93];

type Lookup = Pick<EngineServices, 'images' | 'compute' | 'network'>;

const isNotFound = (err: unknown): boolean =>
  err instanceof NotFound || (err instanceof Error && (err as { status?: number }).status === 404);

/** glance.py `get_image`: an id that is not found is tried as a name. */
export async function findImage(s: Lookup, ctx: RequestContext, ref: string): Promise<string> {
  if (isUuid(ref)) {
    try {
      return (await s.images.get(ctx, ref)).row.id;
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
  const page = await s.images.list(ctx, {
    limit: 1000,
    marker: undefined,
    sort: [
      ['created_at', 'desc'],
      ['id', 'desc'],
    ],
    visibility: undefined,
    memberStatus: 'accepted',
    filters: {
      match: { name: { eq: ref } },
      equal: {},
      ints: {},
      osHidden: false,
      times: [],
      tags: [],
      properties: new Map(),
    },
  });
  const args = pyRepr({ name: ref });
  // client_exception.EntityMatchNotFound / EntityUniqueMatchNotFound.
  if (page.images.length === 0)
    throw new HeatFault('EntityMatchNotFound', `No images matching ${args}.`, 404);
  if (page.images.length > 1)
    throw new HeatFault('EntityUniqueMatchNotFound', `No images unique match found for ${args}.`);
  return page.images[0]!.row.id;
}

/**
 * nova.py `get_flavor`: `flavors.get`, then `flavors.find(name=...)`, whose miss is
 * novaclient's NotFound printed as "No Flavor matching {...}. (HTTP 404)".
 */
export async function findFlavor(s: Lookup, ctx: RequestContext, ref: string): Promise<string> {
  try {
    return (await s.compute.getFlavor(ctx, ref)).row.id;
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  const all = await s.compute.listFlavors(ctx, {
    isPublic: true,
    sortKey: 'flavorid',
    sortDir: 'asc',
    limit: 100000,
  });
  const found = all.filter((f) => f.row.name === ref);
  if (found.length === 0)
    throw new HeatFault('NotFound', `No Flavor matching ${pyRepr({ name: ref })}. (HTTP 404)`);
  // novaclient's NoUniqueMatch, which Heat does not catch: it says nothing more.
  if (found.length > 1) throw new HeatFault('NoUniqueMatch', 'NoUniqueMatch', 409);
  return found[0]!.row.id;
}

/** nova.py `get_keypair`: EntityNotFound "The Key (x) could not be found.". */
export async function findKeypair(s: Lookup, ctx: RequestContext, name: string): Promise<string> {
  try {
    return (await s.compute.getKeyPair(ctx, undefined, name)).name;
  } catch (err) {
    if (isNotFound(err)) throw entityNotFound('Key', name);
    throw err;
  }
}

/**
 * neutron.py `find_resourceid_by_name_or_id` for networks: an id, else the one network of that
 * name (Heat's messages for none and several).
 */
export async function findNetwork(s: Lookup, ctx: RequestContext, ref: string): Promise<string> {
  try {
    return (await s.network.networks.row(ctx, ref)).id;
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  const page = await s.network.networks.list(ctx, {
    ...NO_QUERY,
    filters: new Map([['name', [ref]]]),
  });
  // neutronclient's find_resource texts, which Heat passes on.
  if (page.rows.length === 0)
    throw new HeatFault('NotFound', `Unable to find network with name or id '${ref}'`, 404);
  if (page.rows.length > 1)
    throw new HeatFault(
      'NeutronClientNoUniqueMatch',
      `Multiple network matches found for name '${ref}', use an ID to be more specific.`,
      409,
    );
  return (page.rows[0] as { id: string }).id;
}
