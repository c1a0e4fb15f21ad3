import { pyStr } from '../../../../http/pyrepr.js';
import { NeutronFault } from '../../../network/errors.js';
import { NO_QUERY, type ListQuery } from '../../../network/listing.js';
import type { TaggableCollection } from '../../../network/tags.js';
import { HeatFault } from '../../errors.js';
import type { Props, ResourceContext } from '../types.js';

/** What find_resourceid_by_name_or_id looks up: the names neutronclient prints. */
export type Findable = 'network' | 'subnet' | 'port' | 'router' | 'security_group' | 'subnetpool';

/** neutronclient's UUID_PATTERN, matched at the start of the value as `re.match` does. */
const UUID_START = /^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}/;

/** oslo's is_uuid_like: a UUID with or without its dashes. */
const UUID_LIKE =
  /^[0-9A-Fa-f]{8}-?[0-9A-Fa-f]{4}-?[0-9A-Fa-f]{4}-?[0-9A-Fa-f]{4}-?[0-9A-Fa-f]{12}$/;

type Rc = Pick<ResourceContext, 'ctx' | 'services'>;

/** The ids the caller sees whose attribute `key` is `value` (a Neutron list with one filter). */
async function idsWhere(rc: Rc, entity: Findable, key: string, value: string): Promise<string[]> {
  const query: ListQuery = { ...NO_QUERY, filters: new Map([[key, [value]]]) };
  const net = rc.services.network;
  const lists: Record<Findable, () => Promise<{ rows: { id: string }[] }>> = {
    network: () => net.networks.list(rc.ctx, query),
    subnet: () => net.subnets.list(rc.ctx, query),
    port: () => net.ports.list(rc.ctx, query),
    router: () => net.routers.list(rc.ctx, query),
    security_group: () => net.securityGroups.list(rc.ctx, query),
    subnetpool: () => net.subnetpools.list(rc.ctx, query),
  };
  return (await lists[entity]()).rows.map((r) => r.id);
}

/**
 * neutronclient's find_resourceid_by_name_or_id, which Heat's translation rules and neutron.*
 * constraints use: by id when the value looks like a UUID, else by name; one match or the
 * client's NotFound / NeutronClientNoUniqueMatch with its text.
 */
export async function findId(rc: Rc, entity: Findable, nameOrId: unknown): Promise<string> {
  const text = typeof nameOrId === 'string' ? nameOrId : pyStr(nameOrId);
  if (typeof nameOrId === 'string') {
    if (UUID_START.test(nameOrId)) {
      const byId = await idsWhere(rc, entity, 'id', nameOrId);
      if (byId.length > 0) return byId[0]!;
    }
    const byName = await idsWhere(rc, entity, 'name', nameOrId);
    if (byName.length > 1) {
      throw new NeutronFault(
        409,
        'NeutronClientNoUniqueMatch',
        `Multiple ${entity} matches found for name '${text}', use an ID to be more specific.`,
      );
    }
    if (byName.length === 1) return byName[0]!;
  }
  throw new NeutronFault(404, 'NotFound', `Unable to find ${entity} with name or id '${text}'`);
}

/**
 * get_secgroup_uuids: UUIDs as given; names among the groups of the caller's project, one
 * each, or Heat's EntityNotFound / PhysicalResourceNameAmbiguity.
 */
export async function securityGroupIds(rc: Rc, groups: unknown[]): Promise<string[]> {
  const out: string[] = [];
  let all: { id: string; name: string }[] | null = null;
  for (const sg of groups) {
    if (typeof sg === 'string' && UUID_LIKE.test(sg)) {
      out.push(sg);
      continue;
    }
    all ??= (
      await rc.services.network.securityGroups.list(rc.ctx, {
        ...NO_QUERY,
        filters: new Map([['project_id', [rc.ctx.projectId ?? '']]]),
      })
    ).rows;
    const same = all.filter((g) => g.name === sg);
    if (same.length === 0) {
      throw new HeatFault('EntityNotFound', `The Resource (${pyStr(sg)}) could not be found.`);
    }
    if (same.length > 1) {
      throw new HeatFault(
        'PhysicalResourceNameAmbiguity',
        `Multiple physical resources were found with name (${pyStr(sg)}).`,
      );
    }
    out.push(same[0]!.id);
  }
  return out;
}

/** The client plugin's is_not_found: a 404 from Neutron or the client, or EntityNotFound. */
export function isNotFound(err: unknown): boolean {
  if (err instanceof NeutronFault) return err.status === 404;
  return err instanceof HeatFault && err.type === 'EntityNotFound';
}

/** `with ignore_not_found`: a call whose object is already gone has done its work. */
export async function ignoreNotFound(work: Promise<unknown>): Promise<void> {
  try {
    await work;
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}

/** is_conflict: a 409 that is not OverQuota. */
export function isConflict(err: unknown): boolean {
  return err instanceof NeutronFault && err.status === 409 && err.type !== 'OverQuota';
}

/** Builds an object with own properties only, whatever the keys (`__proto__` stays data). */
function own(entries: [string, unknown][]): Record<string, unknown> {
  return Object.fromEntries(entries);
}

/**
 * prepare_properties: the properties without None values, `name` defaulting to the physical
 * resource name where the type has a name, and value_specs merged into the request body.
 */
export function prepareProperties(props: Props, name: string | null): Record<string, unknown> {
  const entries = Object.entries(props).filter(([, v]) => v !== null && v !== undefined);
  const body = own(entries.filter(([k]) => k !== 'value_specs'));
  if (name !== null && !Object.hasOwn(body, 'name')) body.name = name;
  const specs = props.value_specs;
  return specs && typeof specs === 'object'
    ? own([...Object.entries(body), ...Object.entries(specs)])
    : body;
}

/**
 * The changed properties as handle_update sees them (prop_diff), prepared by
 * prepare_update_properties: value_specs merged (only keys whose value changed) and a name
 * taken away falls back to the physical name.
 */
export function updateDiff(
  rc: ResourceContext,
  next: Props,
  prev: Props,
  changed: string[],
): Record<string, unknown> {
  const diff = own(changed.map((k) => [k, next[k] ?? null]));
  if (Object.hasOwn(diff, 'value_specs')) {
    const specs = (diff.value_specs ?? {}) as Record<string, unknown>;
    const before = (prev.value_specs ?? {}) as Record<string, unknown>;
    delete diff.value_specs;
    const kept = Object.entries(specs).filter(
      ([k, v]) => !(Object.hasOwn(before, k) && before[k] === v),
    );
    Object.assign(diff, own(kept));
  }
  if (Object.hasOwn(diff, 'name') && diff.name === null) diff.name = rc.physicalName();
  return diff;
}

/** set_tags: the resource's tags become the list (none when null). */
export async function setTags(
  rc: ResourceContext,
  collection: TaggableCollection,
  id: string,
  tags: unknown,
): Promise<void> {
  const list = Array.isArray(tags) ? tags.map((t) => (typeof t === 'string' ? t : pyStr(t))) : [];
  await rc.services.network.tags.replace(rc.ctx, collection, id, list);
}

/** is_built: BUILD is not yet; ACTIVE and DOWN are; ERROR fails; anything else is unknown. */
export function isBuilt(status: unknown): boolean {
  if (status === 'BUILD') return false;
  if (status === 'ACTIVE' || status === 'DOWN') return true;
  if (status === 'ERROR' || status === 'DEGRADED') {
    throw new HeatFault('ResourceInError', `Went to status ${pyStr(status)} due to "Unknown"`);
  }
  throw new HeatFault(
    'ResourceUnknownStatus',
    `Resource is not built - Unknown status ${pyStr(status)} due to "Unknown"`,
  );
}

/** _resolve_attribute: the field of the object as Neutron shows it (None when absent). */
export function field(view: Record<string, unknown>, name: string): unknown {
  return Object.hasOwn(view, name) ? view[name] : null;
}

/**
 * NeutronResource.validate_properties: value_specs may not carry `shared`, `tenant_id` or a
 * name the type has as a property. (Heat joins a set, so its order varies; here it is the
 * order of value_specs.)
 */
export function checkValueSpecs(properties: Record<string, unknown>, props: Props): void {
  const specs = props.value_specs;
  if (!specs || typeof specs !== 'object') return;
  const banned = (k: string) => k === 'shared' || k === 'tenant_id' || Object.hasOwn(properties, k);
  const found = Object.keys(specs).filter(banned);
  if (found.length > 0) {
    throw new HeatFault('StackValidationFailed', `${found.join(', ')} not allowed in value_specs`);
  }
}
