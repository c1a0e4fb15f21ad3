import type { RequestContext } from '../../context.js';
import { BadRequest, Forbidden } from '../../errors.js';
import type { Db } from '../../store/db.js';
import type { ServerRow } from '../../store/compute-schema.js';
import { afterMarkerSql, orderBySql, type SortDir, type SqlText } from '../../store/keyset.js';
import { clientRegex } from '../../store/regexp.js';
import type { InterfaceInfo } from '../network/compute-ports.js';
import { statesOfStatus, statusOf } from './states.js';

/** Nova's sort keys and the columns they order by (a Map: client text is only ever a key). */
export const SERVER_SORT_KEYS = new Map<string, keyof ServerRow>([
  ['access_ip_v4', 'access_ip_v4'],
  ['access_ip_v6', 'access_ip_v6'],
  ['availability_zone', 'availability_zone'],
  ['config_drive', 'config_drive'],
  ['created_at', 'created_at'],
  ['display_description', 'description'],
  ['display_name', 'name'],
  ['host', 'host'],
  ['hostname', 'hostname'],
  ['image_ref', 'image_id'],
  ['instance_type_id', 'flavor_id'],
  ['key_name', 'key_name'],
  ['launch_index', 'launch_index'],
  ['launched_at', 'launched_at'],
  ['locked_by', 'locked_by'],
  ['node', 'host'],
  ['power_state', 'power_state'],
  ['progress', 'progress'],
  ['project_id', 'project_id'],
  ['root_device_name', 'root_device_name'],
  ['task_state', 'task_state'],
  ['terminated_at', 'terminated_at'],
  ['updated_at', 'updated_at'],
  ['user_id', 'user_id'],
  ['uuid', 'id'],
  ['vm_state', 'vm_state'],
]);

export interface ServerListQuery {
  /** GET /servers/detail rather than /servers: names the policy an all_tenants refusal cites. */
  detail?: boolean;
  allTenants: boolean;
  /** Admins with all_tenants: one project's servers. */
  projectId?: string;
  userId?: string;
  name?: string;
  status?: string;
  image?: string;
  flavor?: string;
  /** `ip` and `ip6` (2.5): a part of one of the server's fixed addresses. */
  ip?: string;
  reservationId?: string;
  changesSince?: string;
  changesBefore?: string;
  host?: string;
  tags?: string[];
  tagsAny?: string[];
  notTags?: string[];
  notTagsAny?: string[];
  limit: number;
  marker?: string;
  sort: Array<[string, SortDir]>;
}

/** Nullable columns sort as the smallest value on every database. */
const NULLABLE = new Set<keyof ServerRow>([
  'description',
  'host',
  'key_name',
  'launched_at',
  'locked_by',
  'task_state',
  'terminated_at',
]);
const exprOf = (col: keyof ServerRow): string => (NULLABLE.has(col) ? `coalesce(${col}, '')` : col);

/** What the ip filter asks Neutron: the fixed addresses of ports. */
export type PortAddresses = (portIds: readonly string[]) => Promise<Map<string, InterfaceInfo>>;

/**
 * Nova's ip filter as its Neutron layer reads it (get_instance_uuids_by_ip_filter): the
 * pattern loses a leading ^, a trailing $ and its escaped dots, then any fixed address that
 * contains it matches (Neutron's ip_address_substr).
 */
async function serversByIp(
  db: Db,
  ctx: RequestContext,
  q: ServerListQuery,
  addresses: PortAddresses,
): Promise<string[]> {
  let ip = q.ip!;
  if (ip.startsWith('^')) ip = ip.slice(1);
  if (ip.endsWith('$')) ip = ip.slice(0, -1);
  ip = ip.replaceAll('\\.', '.');
  let rows = db
    .selectFrom('server_interfaces as i')
    .innerJoin('servers as s', 's.id', 'i.server_id')
    .select(['i.server_id', 'i.port_id']);
  if (!q.allTenants) rows = rows.where('s.project_id', '=', ctx.projectId ?? '');
  const found = await rows.execute();
  const info = await addresses(found.map((r) => r.port_id));
  const ids = new Set<string>();
  for (const r of found)
    if (info.get(r.port_id)?.fixed_ips.some((f) => f.ip_address.includes(ip))) ids.add(r.server_id);
  return [...ids];
}

/** What a marker must carry: its project and the order's columns. */
type MarkerOf = Pick<ServerRow, 'project_id'> & Partial<ServerRow>;

const marks = (values: readonly unknown[]): string => values.map(() => '?').join(', ');

/**
 * One page of servers, newest first by default, as a keyset range (the marker row's values),
 * never an offset: the 10,000th page costs what the first does. The answer is SQL text for
 * ServerRows.page (what follows `FROM servers`), built by hand: Kysely building and compiling it
 * was a tenth of a list request.
 */
export async function serverListSql(
  db: Db,
  ctx: RequestContext,
  q: ServerListQuery,
  find: (id: string, cols: readonly (keyof ServerRow)[]) => Promise<MarkerOf | undefined>,
  addresses?: PortAddresses,
): Promise<SqlText> {
  if (q.allTenants && !ctx.isAdmin)
    throw new Forbidden(
      `Policy doesn't allow os_compute_api:servers:${q.detail === false ? 'index' : 'detail'}:get_all_tenants to be performed.`,
    );
  const order: Array<{ col: keyof ServerRow; dir: SortDir }> = [];
  for (const [key, dir] of q.sort.length > 0
    ? q.sort
    : [['created_at', 'desc'] as [string, SortDir]]) {
    const col = SERVER_SORT_KEYS.get(key);
    if (!col) continue;
    if ((key === 'host' || key === 'node') && !ctx.isAdmin)
      throw new Forbidden(`Only administrators can sort servers by ${key}`);
    if (!order.some((o) => o.col === col)) order.push({ col, dir });
  }
  if (!order.some((o) => o.col === 'id')) order.push({ col: 'id', dir: order[0]?.dir ?? 'desc' });

  const conds: string[] = [];
  const params: unknown[] = [];
  const where = (text: string, ...values: unknown[]): void => {
    conds.push(text);
    params.push(...values);
  };
  if (!q.allTenants) where('project_id = ?', ctx.projectId ?? '');
  else if (q.projectId !== undefined) where('project_id = ?', q.projectId);
  if (q.userId !== undefined && ctx.isAdmin) where('user_id = ?', q.userId);
  if (q.name !== undefined) {
    if (clientRegex(q.name) === null)
      throw new BadRequest(
        `Invalid input for query parameters name. Value: ${q.name}. Not a valid regular expression.`,
      );
    where('name regexp ?', q.name);
  }
  if (q.status !== undefined) {
    const { vmStates, taskStates } = statesOfStatus(q.status);
    if (vmStates.length === 0) where('0');
    else where(`vm_state in (${marks(vmStates)})`, ...vmStates);
    if (taskStates !== null && taskStates.length > 0)
      where(`task_state in (${marks(taskStates)})`, ...taskStates);
  }
  if (q.image !== undefined) where('image_id = ?', q.image.split('/').pop() ?? '');
  if (q.flavor !== undefined) where('flavor_id = ?', q.flavor.split('/').pop() ?? '');
  if (q.ip !== undefined && addresses) {
    const ids = await serversByIp(db, ctx, q, addresses);
    where('id in (select value from json_each(?))', JSON.stringify(ids));
  }
  if (q.reservationId !== undefined) where('reservation_id = ?', q.reservationId);
  if (q.host !== undefined && ctx.isAdmin) where('host = ?', q.host);
  if (q.changesSince !== undefined) where('updated_at >= ?', q.changesSince);
  if (q.changesBefore !== undefined) where('updated_at <= ?', q.changesBefore);
  const tagged = (tags: string[]) =>
    `(select count(distinct tag) from server_tags t where t.server_id = servers.id and t.tag in (${marks(tags)}))`;
  if (q.tags?.length) where(`${tagged(q.tags)} = ?`, ...q.tags, new Set(q.tags).size);
  if (q.tagsAny?.length) where(`${tagged(q.tagsAny)} > 0`, ...q.tagsAny);
  if (q.notTags?.length) where(`${tagged(q.notTags)} < ?`, ...q.notTags, new Set(q.notTags).size);
  if (q.notTagsAny?.length) where(`${tagged(q.notTagsAny)} = 0`, ...q.notTagsAny);

  if (q.marker !== undefined) {
    const marker = await find(
      q.marker,
      order.map((o) => o.col),
    );
    if (!marker || (!ctx.isAdmin && marker.project_id !== ctx.projectId))
      throw new BadRequest(`marker [${q.marker}] not found`);
    const after = afterMarkerSql(
      order.map((o) => ({ expr: exprOf(o.col), dir: o.dir, value: marker[o.col] ?? '' })),
    );
    where(after.text, ...after.params);
  }
  const orderBy = orderBySql(order.map((o) => ({ expr: exprOf(o.col), dir: o.dir })));
  return {
    text: `${conds.length > 0 ? `where ${conds.join(' and ')} ` : ''}order by ${orderBy} limit ?`,
    params: [...params, q.limit],
  };
}

export { statusOf };
