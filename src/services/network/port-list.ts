import { sql, type RawBuilder } from 'kysely';
import type { RequestContext } from '../../context.js';
import { pyStr } from '../../http/pyrepr.js';
import { invalidInput } from './errors.js';
import type { TableSpec } from './listing.js';
import type { Db } from '../../store/db.js';

/** How port attributes filter and sort: attribute -> column of `ports`. */
export const PORT_TABLE: TableSpec = {
  table: 'ports',
  resource: 'port',
  columns: {
    id: { column: 'id' },
    name: { column: 'name' },
    description: { column: 'description' },
    project_id: { column: 'project_id' },
    tenant_id: { column: 'project_id' },
    network_id: { column: 'network_id' },
    mac_address: { column: 'mac_address' },
    admin_state_up: { column: 'admin_state_up', bool: true },
    status: { column: 'status' },
    device_id: { column: 'device_id' },
    device_owner: { column: 'device_owner' },
    port_security_enabled: { column: 'port_security_enabled', bool: true },
    'binding:host_id': { column: 'binding_host_id' },
    revision_number: { column: 'revision_number' },
    created_at: { column: 'created_at' },
    updated_at: { column: 'updated_at' },
  },
};

/**
 * Who sees a port (get_port): an admin, the port's project, and the owner of its network.
 * Over alias `t`. Most projects own no network that holds another project's ports; for them the
 * condition is the project alone, which the (project_id, id) index serves page by page, where
 * the "or its network's owner" form makes SQLite read and sort every port the caller may see.
 */
export async function portScope(db: Db, ctx: RequestContext): Promise<RawBuilder<unknown> | null> {
  if (ctx.isAdmin) return null;
  const me = ctx.projectId ?? '';
  const foreign = await db
    .selectFrom('networks as n')
    .innerJoin('ports as p', 'p.network_id', 'n.id')
    .select('p.id')
    .where('n.project_id', '=', me)
    .where((eb) => eb.or([eb('p.project_id', '<', me), eb('p.project_id', '>', me)]))
    .limit(1)
    .executeTakeFirst();
  if (!foreign) return sql`t.project_id = ${me}`;
  return sql`(t.project_id = ${me} or t.network_id in (select n.id from networks n where n.project_id = ${me}))`;
}

/**
 * convert_kvp_list_to_dict: `fixed_ips=ip_address=10.0.0.5` and the like, merged by key.
 * A bare `fixed_ips=True` (a flag without values) means no condition.
 */
function kvpMap(values: readonly string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  if (values.length === 1 && values[0] === 'True') return out;
  for (const text of values) {
    const eq = text.indexOf('=');
    const key = eq < 0 ? '' : text.slice(0, eq).trim();
    if (eq < 0 || key === '') {
      throw invalidInput(`'${pyStr(text)}' is not of the form <key>=[value]`);
    }
    out.set(key, [...(out.get(key) ?? []), text.slice(eq + 1).trim()]);
  }
  return out;
}

function hasAllocation(cond: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`exists (select 1 from ip_allocations a where a.port_id = t.id and ${cond})`;
}

/**
 * The filters ports read themselves: `fixed_ips` (ip_address, subnet_id, ip_address_substr;
 * each key a condition of its own that some address of the port meets, its values any of)
 * and `security_groups` (the port is in any of the groups).
 */
export function portConditions(extra: Map<string, string[]>): RawBuilder<unknown>[] {
  const out: RawBuilder<unknown>[] = [];
  const fixed = kvpMap(extra.get('fixed_ips') ?? []);
  const ips = fixed.get('ip_address');
  if (ips?.length) out.push(hasAllocation(sql`a.ip_address in (${sql.join(ips)})`));
  const subnets = fixed.get('subnet_id');
  if (subnets?.length) out.push(hasAllocation(sql`a.subnet_id in (${sql.join(subnets)})`));
  const parts = fixed.get('ip_address_substr');
  if (parts?.length) {
    const any = sql.join(
      parts.map((p) => sql`instr(a.ip_address, ${p}) > 0`),
      sql` or `,
    );
    out.push(hasAllocation(sql`(${any})`));
  }
  const groups = extra.get('security_groups');
  if (groups?.length) {
    out.push(
      sql`t.id in (select g.port_id from port_security_groups g where g.security_group_id in (${sql.join(groups)}))`,
    );
  }
  return out;
}
