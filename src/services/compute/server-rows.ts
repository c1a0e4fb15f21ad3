import { withArrayReader, type Db } from '../../store/db.js';
import type { ServerRow } from '../../store/compute-schema.js';
import type { SqlText } from '../../store/keyset.js';
import type { ComputePorts, InterfaceInfo } from '../network/compute-ports.js';
import {
  readMarker,
  readServerChildren,
  readShownChildren,
  readShownRows,
  SERVER_COLUMNS,
  type Children,
  type MarkerColumn,
  type MarkerRow,
} from './server-page.js';
import {
  parseJson,
  type EmbeddedFlavor,
  type ImageMeta,
  type Server,
  type ServerFault,
  type ShownServer,
} from './server-model.js';

/** Loads servers with what hangs off them: a page is a few queries, not a few per server. */
export class ServerRows {
  constructor(
    private readonly db: Db,
    private readonly ports: ComputePorts,
  ) {}

  async find(id: string, ex: Db = this.db): Promise<ServerRow | undefined> {
    return ex.selectFrom('servers').select(SERVER_COLUMNS).where('id', '=', id).executeTakeFirst();
  }

  /**
   * A list's marker: its project and the values of the keyset's columns (`cols`, trusted
   * names from the sort keys), not the whole row.
   */
  findMarker(id: string, cols: readonly MarkerColumn[]): Promise<MarkerRow | undefined> {
    return withArrayReader(this.db, (read) => readMarker(read, id, cols));
  }

  /** A list page: the servers `clauses` (what follows `FROM servers`) select, as views read them. */
  async page(clauses: SqlText): Promise<ShownServer[]> {
    const [rows, children] = await withArrayReader(this.db, (read) => {
      const rows = readShownRows(read, clauses);
      return [
        rows,
        readShownChildren(
          read,
          rows.map((r) => r.id),
        ),
      ] as const;
    });
    // A page's servers mostly share a flavor, and views only read it: each text is parsed once
    // (text that does not parse stands for an empty flavor of the server's own flavor id).
    const flavors = new Map<string, EmbeddedFlavor>();
    const invalid = {} as EmbeddedFlavor;
    return this.attach(rows, children, (row) => {
      let flavor = flavors.get(row.flavor);
      if (!flavor) flavors.set(row.flavor, (flavor = parseJson(row.flavor, invalid)));
      return flavor === invalid ? emptyFlavor(row.flavor_id) : flavor;
    });
  }

  /** Never inside a transaction: the reads wait for its connection. */
  async load(rows: ServerRow[]): Promise<Server[]> {
    const ids = [...new Set(rows.map((r) => r.id))];
    const children = await withArrayReader(this.db, (read) => readServerChildren(read, ids));
    return (await this.attach(rows, children, flavorOf)).map((s) => ({
      ...s,
      image: s.row.image_id === '' ? null : parseJson<ImageMeta | null>(s.row.image_meta, null),
      systemMetadata: parseJson<Record<string, string>>(s.row.system_metadata, {}),
    }));
  }

  async loadOne(row: ServerRow): Promise<Server> {
    return (await this.load([row]))[0]!;
  }

  /** The rows with their children and what Neutron says of their ports now. */
  private async attach<Row extends ShownServer['row'], Bdm, Interface extends { port_id: string }>(
    rows: Row[],
    children: Children<Bdm, Interface>,
    flavor: (row: Row) => EmbeddedFlavor,
  ) {
    const portIds = [...children.interfaces.values()].flatMap((list) => list.map((i) => i.port_id));
    const info = portIds.length > 0 ? await this.ports.interfaces(portIds) : new Map();
    return rows.map((row) => ({
      row,
      flavor: flavor(row),
      fault: parseJson<ServerFault | null>(row.fault, null),
      metadata: children.metadata.get(row.id)!,
      tags: children.tags.get(row.id)!,
      bdms: children.bdms.get(row.id)!,
      interfaces: children.interfaces
        .get(row.id)!
        .map((i) => ({ ...i, info: info.get(i.port_id) as InterfaceInfo | undefined })),
    }));
  }
}

const flavorOf = (row: Pick<ServerRow, 'flavor' | 'flavor_id'>): EmbeddedFlavor =>
  parseJson<EmbeddedFlavor>(row.flavor, emptyFlavor(row.flavor_id));

function emptyFlavor(id: string): EmbeddedFlavor {
  return {
    id,
    name: '',
    ram: 0,
    vcpus: 0,
    disk: 0,
    ephemeral: 0,
    swap: 0,
    rxtx_factor: 1,
    description: null,
    extra_specs: {},
  };
}
