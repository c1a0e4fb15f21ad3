import type { RequestContext } from '../../context.js';
import { BadRequest, Conflict, NotFound } from '../../errors.js';
import type { Db } from '../../store/db.js';
import type { ServerRow } from '../../store/compute-schema.js';
import type { InterfaceInfo } from '../network/compute-ports.js';
import { NeutronFault } from '../network/errors.js';
import { recordAction, withEvent } from './instance-actions.js';
import type { ServerWorkDeps } from './server-work.js';
import { refusal, type ActionRule } from './states.js';

const ATTACH_INTERFACE: ActionRule = {
  method: 'attach_interface',
  vmStates: ['active', 'paused', 'stopped'],
};
const DETACH_INTERFACE: ActionRule = {
  method: 'detach_interface',
  vmStates: ['active', 'paused', 'stopped'],
};

export interface InterfaceAttach {
  netId: string | null;
  portId: string | null;
  fixedIp: string | null;
  tag: string | null;
}

/** An interface as os-interface shows it: Neutron's port, and the tag Nova keeps. */
export type ServerInterface = InterfaceInfo & { tag: string | null };

const neutron404 = (err: unknown): boolean => err instanceof NeutronFault && err.status === 404;

/** Nova's admin client: port bindings are an admin attribute. */
function elevated(ctx: RequestContext): RequestContext {
  return { ...ctx, roles: [...new Set([...ctx.roles, 'admin'])], isAdmin: true };
}

/**
 * os-interface: a server's Neutron ports. Attaching makes a port on a network (Nova's own,
 * deleted again on detach) or binds the user's port (unbound on detach, kept); both through
 * NetworkService, recorded in server_interfaces, with Nova's instance actions.
 */
export class ServerInterfaces {
  constructor(
    private readonly d: ServerWorkDeps,
    private readonly serverRow: (ctx: RequestContext, id: string, ex?: Db) => Promise<ServerRow>,
  ) {}

  /** Ports whose device is the server (Nova asks Neutron by device_id). */
  async list(ctx: RequestContext, serverId: string): Promise<ServerInterface[]> {
    const row = await this.serverRow(ctx, serverId);
    const ids = (await this.d.network.computePorts.ofDevices([row.id])).get(row.id) ?? [];
    return this.describe(row.id, ids);
  }

  async get(ctx: RequestContext, serverId: string, portId: string): Promise<ServerInterface> {
    const row = await this.serverRow(ctx, serverId);
    let port;
    try {
      port = await this.d.network.ports.get(ctx, portId);
    } catch (err) {
      if (neutron404(err)) throw new NotFound(`Port id ${portId} could not be found.`);
      throw err;
    }
    if (port.device_id !== serverId)
      throw new NotFound(`Instance ${serverId} does not have a port with id ${portId}`);
    return (await this.describe(row.id, [port.id]))[0]!;
  }

  private async describe(serverId: string, portIds: string[]): Promise<ServerInterface[]> {
    const info = await this.d.network.computePorts.interfaces(portIds);
    const tags = await this.d.db
      .selectFrom('server_interfaces')
      .select(['port_id', 'tag'])
      .where('server_id', '=', serverId)
      .execute();
    const tagOf = new Map(tags.map((t) => [t.port_id, t.tag]));
    return portIds
      .filter((p) => info.has(p))
      .map((p) => ({ ...info.get(p)!, tag: tagOf.get(p) ?? null }));
  }

  /** POST: the new interface as GET shows it. */
  async attach(
    ctx: RequestContext,
    serverId: string,
    input: InterfaceAttach,
  ): Promise<ServerInterface> {
    const row = await this.serverRow(ctx, serverId);
    if (input.netId !== null && input.portId !== null)
      throw new BadRequest('Must not input both network_id and port_id');
    if (input.fixedIp !== null && input.netId === null)
      throw new BadRequest('Must input network_id when request IP address');
    const refused = refusal(ATTACH_INTERFACE, row, ctx.isAdmin);
    if (refused) throw refused;
    await this.d.db
      .transaction()
      .execute((tx) => recordAction(tx, ctx, row.id, 'attach_interface'));
    const portId = await withEvent(
      this.d.db,
      row.id,
      'attach_interface',
      'compute_attach_interface',
      this.d.host.name,
      () => this.plug(ctx, row, input),
    );
    return this.get(ctx, serverId, portId);
  }

  private async plug(ctx: RequestContext, row: ServerRow, input: InterfaceAttach): Promise<string> {
    const owner = `compute:${row.availability_zone}`;
    let portId: string;
    if (input.portId !== null) {
      let port;
      try {
        port = await this.d.network.ports.get(ctx, input.portId);
      } catch (err) {
        if (neutron404(err)) throw new NotFound(`Port id ${input.portId} could not be found.`);
        throw err;
      }
      if (port.device_id !== '') throw new Conflict(`Port ${port.id} is still in use.`);
      await this.d.network.ports.update(ctx, port.id, { device_id: row.id, device_owner: owner });
      portId = port.id;
    } else {
      const networkId = await this.networkFor(ctx, row, input.netId);
      const port = await this.d.network.ports
        .create(ctx, row.project_id, {
          network_id: networkId,
          device_id: row.id,
          device_owner: owner,
          ...(input.fixedIp !== null ? { fixed_ips: [{ ip_address: input.fixedIp }] } : {}),
        })
        .catch((err: unknown) => {
          if (err instanceof NeutronFault && err.type === 'IpAddressAlreadyAllocated')
            throw new Conflict(
              `Fixed IP address ${input.fixedIp ?? ''} is already in use on instance ${row.id}.`,
            );
          if (err instanceof NeutronFault && err.status === 400) throw new BadRequest(err.message);
          throw err;
        });
      portId = port.id;
    }
    await this.d.network.ports.update(elevated(ctx), portId, { binding_host_id: this.d.host.name });
    await this.d.db.transaction().execute(async (tx) => {
      const last = await tx
        .selectFrom('server_interfaces')
        .select((eb) => eb.fn.max('position').as('max'))
        .where('server_id', '=', row.id)
        .executeTakeFirst();
      await tx
        .insertInto('server_interfaces')
        .values({
          server_id: row.id,
          port_id: portId,
          position: (last?.max ?? -1) + 1,
          preserve: input.portId !== null ? 1 : 0,
          tag: input.tag,
        })
        .onConflict((oc) => oc.doNothing())
        .execute();
    });
    return portId;
  }

  /** The named network, or the one network the project may use (Nova's allocate rules). */
  private async networkFor(
    ctx: RequestContext,
    row: ServerRow,
    netId: string | null,
  ): Promise<string> {
    if (netId !== null) {
      try {
        return (await this.d.network.networks.row(ctx, netId)).id;
      } catch (err) {
        if (neutron404(err)) throw new NotFound(`Network ${netId} could not be found.`);
        throw err;
      }
    }
    const available = await this.d.network.computePorts.available(ctx);
    if (available.length === 0)
      throw new BadRequest(
        `No specific network was requested and none are available for project '${row.project_id}'.`,
      );
    if (available.length > 1)
      throw new BadRequest(
        'More than one possible network found. Specify network ID(s) to select which one(s) to connect to.',
      );
    return available[0]!.id;
  }

  /**
   * DELETE: 202 once the checks pass; the rest is Nova's compute side, whose failures only its
   * instance action shows (a port not on the server is `Port <id> is not attached` there).
   * A port Nova made is deleted, the user's port unbound.
   */
  async detach(ctx: RequestContext, serverId: string, portId: string): Promise<void> {
    const row = await this.serverRow(ctx, serverId);
    const refused = refusal(DETACH_INTERFACE, row, ctx.isAdmin);
    if (refused) throw refused;
    await this.d.db
      .transaction()
      .execute((tx) => recordAction(tx, ctx, row.id, 'detach_interface'));
    await withEvent(
      this.d.db,
      row.id,
      'detach_interface',
      'compute_detach_interface',
      this.d.host.name,
      () => this.unplug(ctx, row, portId),
    ).catch((err: unknown) => {
      if (!(err instanceof NotFound)) throw err;
    });
  }

  private async unplug(ctx: RequestContext, row: ServerRow, portId: string): Promise<void> {
    const recorded = await this.d.db
      .selectFrom('server_interfaces')
      .selectAll()
      .where('server_id', '=', row.id)
      .where('port_id', '=', portId.toLowerCase())
      .executeTakeFirst();
    if (recorded === undefined) throw new NotFound(`Port ${portId} is not attached`);
    const id = recorded.port_id;
    const gone = (err: unknown): void => {
      if (!neutron404(err)) throw err;
    };
    if (recorded.preserve === 1)
      await this.d.network.ports
        .update(elevated(ctx), id, { device_id: '', device_owner: '', binding_host_id: '' })
        .catch(gone);
    else await this.d.network.ports.delete(elevated(ctx), id).catch(gone);
    await this.d.db
      .deleteFrom('server_interfaces')
      .where('server_id', '=', row.id)
      .where('port_id', '=', id)
      .execute();
  }
}
