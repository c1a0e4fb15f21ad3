import type { ReadArrays } from '../../store/db.js';
import type {
  BlockDeviceMappingRow,
  ServerInterfaceRow,
  ServerRow,
} from '../../store/compute-schema.js';
import type { SqlText } from '../../store/keyset.js';
import { SHOWN_COLUMNS, type ShownBdm, type ShownServer } from './server-model.js';

/**
 * Array reads of a page of servers and what hangs off them, for GET /servers/detail, where
 * Kysely's query building and better-sqlite3's per-column values were most of a request:
 * SQLite writes each row as one JSON object and the page is parsed in one go (for 25 servers,
 * measured ~180 us against ~330 us for five statements of row objects).
 */

/**
 * ServerRow's columns in the table's order; `Unlisted` below fails the build if one is left out.
 * Reads select these rather than `*`: the table's `shown` (migration 014) is the list's alone.
 */
export const SERVER_COLUMNS = [
  'id',
  'project_id',
  'user_id',
  'name',
  'description',
  'hostname',
  'vm_state',
  'task_state',
  'power_state',
  'flavor_id',
  'flavor',
  'vcpus',
  'memory_mb',
  'image_id',
  'image_meta',
  'system_metadata',
  'root_layer',
  'key_name',
  'key_data',
  'user_data',
  'config_drive',
  'availability_zone',
  'access_ip_v4',
  'access_ip_v6',
  'host',
  'locked',
  'locked_by',
  'locked_reason',
  'progress',
  'fault',
  'reservation_id',
  'launch_index',
  'root_device_name',
  'launched_at',
  'terminated_at',
  'created_at',
  'updated_at',
] as const satisfies readonly (keyof ServerRow)[];

const BDM_COLUMNS = [
  'id',
  'server_id',
  'boot_index',
  'source_type',
  'destination_type',
  'device_name',
  'device_type',
  'disk_bus',
  'guest_format',
  'volume_id',
  'snapshot_id',
  'image_id',
  'volume_size',
  'volume_type',
  'delete_on_termination',
  'tag',
  'attachment_id',
  'created_at',
] as const satisfies readonly (keyof BlockDeviceMappingRow)[];

const INTERFACE_COLUMNS = [
  'server_id',
  'port_id',
  'position',
  'preserve',
  'tag',
] as const satisfies readonly (keyof ServerInterfaceRow)[];

type Unlisted<Row, Listed extends readonly unknown[]> = Exclude<keyof Row, Listed[number]>;
const everyColumn: [
  Unlisted<ServerRow, typeof SERVER_COLUMNS>,
  Unlisted<BlockDeviceMappingRow, typeof BDM_COLUMNS>,
  Unlisted<ServerInterfaceRow, typeof INTERFACE_COLUMNS>,
] extends [never, never, never]
  ? true
  : never = true;
void everyColumn;

/** Every column is text, integer or null, so JSON carries each value exactly. */
const jsonObject = (columns: readonly string[], table: string): string =>
  `json_object(${columns.map((c) => `'${c}', ${table}.${c}`).join(', ')})`;

const SELECT_SERVERS = `select ${jsonObject(SERVER_COLUMNS, 'servers')} from servers`;
/**
 * Arrays, not objects: a page parses in two thirds of the time without the keys. The array is
 * the row's `shown` column, which triggers keep equal to these columns (migration 014), so
 * SQLite reads one value per server; building it is the fallback if it is ever null.
 */
const SELECT_SHOWN = `select coalesce(servers.shown, json_array(${SHOWN_COLUMNS.map((c) => `servers.${c}`).join(', ')})) from servers`;

type ShownRow = ShownServer['row'];

/**
 * A row of SELECT_SHOWN as an object literal of fixed shape (cheap to build, unlike one filled by
 * a loop over the names): `v` holds SHOWN_COLUMNS in order, which test/unit/server-page checks.
 */
export function shownRowOf(v: unknown[]): ShownRow {
  return {
    id: v[0],
    project_id: v[1],
    user_id: v[2],
    name: v[3],
    description: v[4],
    hostname: v[5],
    vm_state: v[6],
    task_state: v[7],
    power_state: v[8],
    flavor_id: v[9],
    flavor: v[10],
    image_id: v[11],
    key_name: v[12],
    user_data: v[13],
    config_drive: v[14],
    availability_zone: v[15],
    access_ip_v4: v[16],
    access_ip_v6: v[17],
    host: v[18],
    locked: v[19],
    locked_reason: v[20],
    progress: v[21],
    fault: v[22],
    reservation_id: v[23],
    launch_index: v[24],
    root_device_name: v[25],
    launched_at: v[26],
    terminated_at: v[27],
    created_at: v[28],
    updated_at: v[29],
  } as ShownRow;
}

/**
 * Metadata, tags, BDMs and interfaces of the servers in a JSON array of ids, in one statement:
 * the ids drive an index probe each. Each row is [kind, server id, ...], in the orders Nova
 * shows them (metadata by key, tags by tag, BDMs by creation, interfaces by position).
 */
const selectChildren = (
  bdms: string,
  bdmColumns: readonly string[],
  ifaceColumns: readonly string[],
) =>
  'with page(id) as (select value from json_each(?))' +
  ' select 0 as kind, m.key as k1, null as k2, json_array(0, m.server_id, m.key, m.value)' +
  ' from page join server_metadata m on m.server_id = page.id' +
  ' union all select 1, t.tag, null, json_array(1, t.server_id, t.tag)' +
  ' from page join server_tags t on t.server_id = page.id' +
  ` union all select 2, b.created_at, b.id, json_array(2, b.server_id, ${jsonObject(bdmColumns, 'b')})` +
  ` from page join block_device_mappings b on b.server_id = page.id${bdms}` +
  ` union all select 3, i.position, null, json_array(3, i.server_id, ${jsonObject(ifaceColumns, 'i')})` +
  ' from page join server_interfaces i on i.server_id = page.id' +
  ' order by kind, k1, k2';

const SELECT_CHILDREN = selectChildren('', BDM_COLUMNS, INTERFACE_COLUMNS);
/** A list page's: the BDMs of attached volumes, the interfaces' ports. */
const SELECT_SHOWN_CHILDREN = selectChildren(
  " and b.destination_type = 'volume' and b.volume_id is not null and b.attachment_id is not null",
  [
    'destination_type',
    'volume_id',
    'attachment_id',
    'delete_on_termination',
  ] satisfies (keyof ShownBdm)[],
  ['port_id'],
);

const parseRows = <T>(rows: unknown[][], at: number): T[] =>
  rows.length === 0 ? [] : (JSON.parse(`[${rows.map((r) => r[at]).join(',')}]`) as T[]);

/** Server rows: `clauses` is what follows `FROM servers` (conditions, order, limit). */
export function readServerRows(read: ReadArrays, clauses: SqlText): ServerRow[] {
  return parseRows<ServerRow>(read(`${SELECT_SERVERS} ${clauses.text}`, clauses.params), 0);
}

/** The same with only the columns the views read. */
export function readShownRows(read: ReadArrays, clauses: SqlText): ShownRow[] {
  return parseRows<unknown[]>(read(`${SELECT_SHOWN} ${clauses.text}`, clauses.params), 0).map(
    shownRowOf,
  );
}

/** A column a list can be ordered by. */
export type MarkerColumn = keyof ServerRow;
/** A marker's project and the columns its keyset asked for. */
export type MarkerRow = Pick<ServerRow, 'project_id'> & Partial<ServerRow>;

/** The marker `id`'s project and `cols` (names from SERVER_SORT_KEYS, never client text). */
export function readMarker(
  read: ReadArrays,
  id: string,
  cols: readonly MarkerColumn[],
): MarkerRow | undefined {
  const names = ['project_id', ...cols];
  const found = read(`select ${names.join(', ')} from servers where id = ?`, [id])[0];
  if (!found) return undefined;
  const row: Record<string, unknown> = {};
  names.forEach((name, i) => (row[name] = found[i]));
  return row as MarkerRow;
}

export interface Children<Bdm, Interface> {
  metadata: Map<string, Record<string, string>>;
  tags: Map<string, string[]>;
  bdms: Map<string, Bdm[]>;
  interfaces: Map<string, Interface[]>;
}

function readChildren<Bdm, Interface>(
  read: ReadArrays,
  text: string,
  ids: readonly string[],
): Children<Bdm, Interface> {
  const out: Children<Bdm, Interface> = {
    metadata: new Map(ids.map((id) => [id, Object.create(null) as Record<string, string>])),
    tags: new Map(ids.map((id) => [id, []])),
    bdms: new Map(ids.map((id) => [id, []])),
    interfaces: new Map(ids.map((id) => [id, []])),
  };
  if (ids.length === 0) return out;
  type Child = [0, string, string, string] | [1, string, string] | [2 | 3, string, unknown];
  for (const c of parseRows<Child>(read(text, [JSON.stringify(ids)]), 3)) {
    if (c[0] === 0) out.metadata.get(c[1])![c[2]] = c[3];
    else if (c[0] === 1) out.tags.get(c[1])!.push(c[2]);
    else if (c[0] === 2) out.bdms.get(c[1])!.push(c[2] as Bdm);
    else out.interfaces.get(c[1])!.push(c[2] as Interface);
  }
  return out;
}

/** What hangs off the servers `ids` (distinct), each list empty for a server without any. */
export const readServerChildren = (read: ReadArrays, ids: readonly string[]) =>
  readChildren<BlockDeviceMappingRow, ServerInterfaceRow>(read, SELECT_CHILDREN, ids);

/** What the views read of it: metadata, tags, attached volumes, ports. */
export const readShownChildren = (read: ReadArrays, ids: readonly string[]) =>
  readChildren<ShownBdm, { port_id: string }>(read, SELECT_SHOWN_CHILDREN, ids);
