import { HeatFault } from '../../errors.js';
import { UpdateReplace } from '../heat/support.js';
import type { Props, ResourceContext } from '../types.js';
import { findFlavor, findImage, findNetwork } from './finders.js';
import { createInternalPort, deleteInternalPort } from './internal-ports.js';
import { metaSerialize, serverName } from './server-request.js';
import { checkActive, serverOrGone, statusOfServer, waitUntil } from './wait.js';

type Body = Record<string, unknown>;
const groupsOf = (props: Props): string[] =>
  (Array.isArray(props.security_groups) ? props.security_groups : []).map(String);
const nets = (v: unknown): Body[] => (Array.isArray(v) ? (v as Body[]) : []);
/** Two nic entries alike, unset keys ignored (Heat compares the given items). */
const same = (a: Body, b: Body): boolean => {
  const set = (x: Body) =>
    Object.entries(x)
      .filter(([, v]) => v !== null && v !== undefined)
      .sort(([p], [q]) => (p < q ? -1 : p > q ? 1 : 0));
  return JSON.stringify(set(a)) === JSON.stringify(set(b));
};

/** nova.py check_resize, verify_resize and check_verify_resize, in one go. */
async function resize(rc: ResourceContext, id: string, flavorRef: string): Promise<void> {
  const flavorId = await findFlavor(rc.services, rc.ctx, flavorRef);
  await rc.services.compute.servers.lifecycle.resize(rc.ctx, id, flavorId);
  await waitUntil(rc, async () => {
    const s = await serverOrGone(rc, id);
    const status = s ? statusOfServer(s) : 'ACTIVE';
    if (!s || status === 'RESIZE' || (status === 'ACTIVE' && s.row.task_state !== null))
      return false;
    if (status === 'VERIFY_RESIZE') return true;
    // The resize was refused by the compute host, or never started: Nova leaves it ACTIVE.
    if (status === 'ACTIVE') return s.flavor.id === flavorId;
    throw new HeatFault('Error', `Resizing to '${flavorRef}' failed, status '${status}'`);
  });
  const s = await serverOrGone(rc, id);
  if (s && statusOfServer(s) === 'VERIFY_RESIZE')
    await rc.services.compute.servers.lifecycle.confirmResize(rc.ctx, id);
  await waitUntil(rc, async () => {
    const now = await serverOrGone(rc, id);
    return now !== undefined && statusOfServer(now) === 'ACTIVE' && now.row.task_state === null;
  });
}

/** nova.py rebuild and check_rebuild. */
async function rebuild(rc: ResourceContext, id: string, image: string): Promise<void> {
  const imageRef = await findImage(rc.services, rc.ctx, image);
  await rc.services.compute.servers.lifecycle.rebuild(rc.ctx, id, { imageRef });
  await waitUntil(rc, async () => {
    const s = await serverOrGone(rc, id);
    if (!s || statusOfServer(s) === 'REBUILD' || s.row.task_state !== null) return false;
    if (statusOfServer(s) === 'ERROR')
      throw new HeatFault('Error', "Rebuilding server failed, status 'ERROR'");
    return true;
  });
}

/**
 * server_network_mixin.py `_update_networks`, reduced: nics no longer listed are detached (a
 * port entry by its port, a network entry by the first interface on that network), new ones
 * attached, then Heat waits for the interfaces.
 */
async function updateNetworks(
  rc: ResourceContext,
  id: string,
  prev: Body[],
  next: Body[],
  groups: string[],
) {
  const removed = prev.filter((p) => !next.some((n) => same(p, n)));
  const added = next.filter((n) => !prev.some((p) => same(p, n)));
  const ifaces = rc.services.compute.serverInterfaces;
  for (const r of removed) {
    let port = typeof r.port === 'string' ? r.port : undefined;
    if (port === undefined && typeof r.subnet === 'string') {
      // A subnet entry's interface is the internal port Heat made on that subnet.
      const subnet = r.subnet;
      port = (await ifaces.list(rc.ctx, id)).find((i) =>
        i.fixed_ips.some((f) => f.subnet_id === subnet),
      )?.port_id;
    } else if (port === undefined && typeof r.network === 'string') {
      const net = await findNetwork(rc.services, rc.ctx, r.network);
      port = (await ifaces.list(rc.ctx, id)).find((i) => i.network_id === net)?.port_id;
    }
    if (port !== undefined) {
      await ifaces.detach(rc.ctx, id, port);
      if (typeof r.port !== 'string') await deleteInternalPort(rc, port);
    }
  }
  for (const a of added) {
    let port = typeof a.port === 'string' ? a.port : null;
    if (port === null && typeof a.subnet === 'string') {
      // _build_nics: a subnet entry gets an internal port, attached by its id.
      const network = (await rc.services.network.subnets.get(rc.ctx, a.subnet)).network_id;
      const fixedIp = typeof a.fixed_ip === 'string' ? a.fixed_ip : null;
      const index = next.indexOf(a);
      port = await createInternalPort(rc, index, network, a.subnet, fixedIp, groups);
    }
    const network =
      port === null && typeof a.network === 'string'
        ? await findNetwork(rc.services, rc.ctx, a.network)
        : null;
    await ifaces.attach(rc.ctx, id, {
      portId: port,
      netId: network,
      fixedIp: port === null && typeof a.fixed_ip === 'string' ? a.fixed_ip : null,
      tag: null,
    });
  }
}

/** server.py `handle_update` for what may change in place. */
export async function updateServer(
  rc: ResourceContext,
  id: string,
  next: Props,
  prev: Props,
  changed: string[],
): Promise<void> {
  // Should an engine call this without asking needsReplace first: Heat's UpdateReplace.
  if (needsReplace(next, prev, changed)) throw new UpdateReplace(rc.resourceName);
  const compute = rc.services.compute;
  if (changed.includes('metadata'))
    await compute.serverMetadata.update(
      rc.ctx,
      id,
      new Map(Object.entries(metaSerialize(next.metadata ?? {}))),
      true,
    );
  if (changed.includes('tags'))
    await compute.serverTags.replace(rc.ctx, id, (next.tags as string[] | null) ?? []);
  if (changed.includes('name'))
    await compute.servers.update(rc.ctx, id, { name: serverName(rc, next) });
  if (changed.includes('networks'))
    await updateNetworks(rc, id, nets(prev.networks), nets(next.networks), groupsOf(next));
  if (changed.includes('flavor')) await resize(rc, id, String(next.flavor));
  if (changed.includes('image') && typeof next.image === 'string')
    await rebuild(rc, id, next.image);
  else if (changed.includes('user_data') && next.user_data_update_policy === 'REBUILD')
    await rebuild(rc, id, String(next.image ?? ''));
  else if (changed.includes('admin_pass'))
    await compute.servers.lifecycle.changePassword(rc.ctx, id);
  const s = await serverOrGone(rc, id);
  if (s) checkActive(s);
}

/**
 * Properties whose change Heat applies by replacing the server even though they are
 * update_allowed: the update policies say REPLACE, or user_data without REBUILD/IGNORE.
 */
export function needsReplace(next: Props, _prev: Props, changed: string[]): boolean {
  if (changed.includes('flavor') && next.flavor_update_policy === 'REPLACE') return true;
  if (changed.includes('image') && next.image_update_policy === 'REPLACE') return true;
  if (changed.includes('user_data') && next.user_data_update_policy === 'REPLACE') return true;
  return false;
}
