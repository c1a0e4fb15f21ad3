import { sql, type Expression, type SqlBool } from 'kysely';
import type { RequestContext } from '../../context.js';
import { BadRequest, Forbidden } from '../../errors.js';
import type { Db } from '../../store/db.js';
import type { ServerRow } from '../../store/compute-schema.js';
import { afterMarker, type KeysetColumn, type SortDir } from '../../store/keyset.js';
import { clientRegex } from '../../store/regexp.js';
import { statusOf, statesOfStatus } from './states.js';

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
  allTenants: boolean;
  /** Admins with all_tenants: one project's servers. */
  projectId?: string;
  userId?: string;
  name?: string;
  status?: string;
  image?: string;
  flavor?: string;
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

/**
 * One page of servers, newest first by default, as a keyset range (the marker row's values),
 * never an offset: the 10,000th page costs what the first does.
 */
export async function listServerRows(
  db: Db,
  ctx: RequestContext,
  q: ServerListQuery,
): Promise<ServerRow[]> {
  if (q.allTenants && !ctx.isAdmin)
    throw new Forbidden(
      "Policy doesn't allow os_compute_api:servers:detail:get_all_tenants to be performed.",
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

  const conds: Expression<SqlBool>[] = [];
  let query = db.selectFrom('servers').selectAll();
  if (!q.allTenants) query = query.where('project_id', '=', ctx.projectId ?? '');
  else if (q.projectId !== undefined) query = query.where('project_id', '=', q.projectId);
  if (q.userId !== undefined && ctx.isAdmin) query = query.where('user_id', '=', q.userId);
  if (q.name !== undefined) {
    if (clientRegex(q.name) === null)
      throw new BadRequest(
        `Invalid input for query parameters name. Value: ${q.name}. Not a valid regular expression.`,
      );
    conds.push(sql<SqlBool>`name regexp ${q.name}`);
  }
  if (q.status !== undefined) {
    const { vmStates, taskStates } = statesOfStatus(q.status);
    if (vmStates.length === 0) query = query.where(sql<SqlBool>`0`);
    else query = query.where('vm_state', 'in', vmStates);
    if (taskStates !== null && taskStates.length > 0)
      query = query.where('task_state', 'in', taskStates);
  }
  if (q.image !== undefined) query = query.where('image_id', '=', q.image.split('/').pop() ?? '');
  if (q.flavor !== undefined)
    query = query.where('flavor_id', '=', q.flavor.split('/').pop() ?? '');
  if (q.reservationId !== undefined) query = query.where('reservation_id', '=', q.reservationId);
  if (q.host !== undefined && ctx.isAdmin) query = query.where('host', '=', q.host);
  if (q.changesSince !== undefined) query = query.where('updated_at', '>=', q.changesSince);
  if (q.changesBefore !== undefined) query = query.where('updated_at', '<=', q.changesBefore);
  const tagged = (tags: string[]) =>
    sql<number>`(select count(distinct tag) from server_tags t where t.server_id = servers.id and t.tag in (${sql.join(tags)}))`;
  if (q.tags?.length) conds.push(sql<SqlBool>`${tagged(q.tags)} = ${new Set(q.tags).size}`);
  if (q.tagsAny?.length) conds.push(sql<SqlBool>`${tagged(q.tagsAny)} > 0`);
  if (q.notTags?.length)
    conds.push(sql<SqlBool>`${tagged(q.notTags)} < ${new Set(q.notTags).size}`);
  if (q.notTagsAny?.length) conds.push(sql<SqlBool>`${tagged(q.notTagsAny)} = 0`);
  for (const c of conds) query = query.where(c);

  if (q.marker !== undefined) {
    const marker = await db
      .selectFrom('servers')
      .selectAll()
      .where('id', '=', q.marker)
      .executeTakeFirst();
    if (!marker || (!ctx.isAdmin && marker.project_id !== ctx.projectId))
      throw new BadRequest(`marker [${q.marker}] not found`);
    const cols: KeysetColumn[] = order.map((o) => ({
      expr: exprOf(o.col),
      dir: o.dir,
      value: marker[o.col] ?? '',
    }));
    query = query.where(afterMarker(cols));
  }
  for (const o of order) query = query.orderBy(sql.raw(exprOf(o.col)), o.dir);
  return query.limit(q.limit).execute();
}

export { statusOf };
