import type { Db } from '../../store/db.js';
import type { ServerRow } from '../../store/compute-schema.js';
import type { ComputePorts } from '../network/compute-ports.js';
import {
  parseJson,
  type EmbeddedFlavor,
  type ImageMeta,
  type Server,
  type ServerFault,
} from './server-model.js';

/** Loads servers with what hangs off them: a page is a few queries, not a few per server. */
export class ServerRows {
  constructor(
    private readonly db: Db,
    private readonly ports: ComputePorts,
  ) {}

  async find(id: string, ex: Db = this.db): Promise<ServerRow | undefined> {
    return ex.selectFrom('servers').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async load(rows: ServerRow[], ex: Db = this.db): Promise<Server[]> {
    const ids = rows.map((r) => r.id);
    const meta = new Map<string, Record<string, string>>(
      ids.map((id) => [id, Object.create(null) as Record<string, string>]),
    );
    const tags = new Map<string, string[]>(ids.map((id) => [id, []]));
    const bdms = new Map<string, Server['bdms']>(ids.map((id) => [id, []]));
    const ifaces = new Map<string, Server['interfaces']>(ids.map((id) => [id, []]));
    for (let i = 0; i < ids.length; i += 500) {
      const some = ids.slice(i, i + 500);
      const [m, t, b, n] = await Promise.all([
        ex
          .selectFrom('server_metadata')
          .selectAll()
          .where('server_id', 'in', some)
          .orderBy('key')
          .execute(),
        ex
          .selectFrom('server_tags')
          .selectAll()
          .where('server_id', 'in', some)
          .orderBy('tag')
          .execute(),
        ex
          .selectFrom('block_device_mappings')
          .selectAll()
          .where('server_id', 'in', some)
          .orderBy('created_at')
          .orderBy('id')
          .execute(),
        ex
          .selectFrom('server_interfaces')
          .selectAll()
          .where('server_id', 'in', some)
          .orderBy('position')
          .execute(),
      ]);
      for (const r of m) meta.get(r.server_id)![r.key] = r.value;
      for (const r of t) tags.get(r.server_id)!.push(r.tag);
      for (const r of b) bdms.get(r.server_id)!.push(r);
      const info = await this.ports.interfaces(n.map((r) => r.port_id));
      for (const r of n) ifaces.get(r.server_id)!.push({ ...r, info: info.get(r.port_id) });
    }
    return rows.map((row) => ({
      row,
      flavor: parseJson<EmbeddedFlavor>(row.flavor, emptyFlavor(row.flavor_id)),
      image: row.image_id === '' ? null : parseJson<ImageMeta | null>(row.image_meta, null),
      fault: parseJson<ServerFault | null>(row.fault, null),
      systemMetadata: parseJson<Record<string, string>>(row.system_metadata, {}),
      metadata: meta.get(row.id)!,
      tags: tags.get(row.id)!,
      bdms: bdms.get(row.id)!,
      interfaces: ifaces.get(row.id)!,
    }));
  }

  async loadOne(row: ServerRow, ex: Db = this.db): Promise<Server> {
    return (await this.load([row], ex))[0]!;
  }
}

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
