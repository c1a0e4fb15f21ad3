import type { RequestContext } from '../../context.js';
import { NeutronFault } from '../network/errors.js';
import type { TaskPayloads } from '../../tasks/kinds.js';
import { BuildFailed } from './server-build.js';
import type { Server } from './server-model.js';
import type { ServerWorkDeps } from './server-work.js';

type Nic = TaskPayloads['server.build']['nics'][number];

/** What Neutron says, as a build failure's fault. */
function neutronFailure(err: unknown): never {
  if (err instanceof NeutronFault)
    throw new BuildFailed(err.message, err.status >= 500 ? 500 : 400);
  throw err;
}

/**
 * Makes or binds the server's ports, in request order (Nova's allocate_for_instance). A port
 * is recorded on the server as soon as it exists; a rerun after a crash skips positions done
 * and adopts a port it made but had not recorded (found by its device_id).
 */
export async function bindPorts(
  d: ServerWorkDeps,
  ctx: RequestContext,
  server: Server,
  payload: TaskPayloads['server.build'],
): Promise<void> {
  const done = new Set(server.interfaces.map((i) => i.position));
  const recorded = new Set(server.interfaces.map((i) => i.port_id));
  const strays = (await d.network.computePorts.ofDevices([server.row.id])).get(server.row.id) ?? [];
  const nics: Nic[] = payload.nics ?? [];
  for (const [position, nic] of nics.entries()) {
    if (done.has(position)) continue;
    let portId: string;
    let preserve = 0;
    if (nic.kind === 'port' && nic.portId) {
      portId = nic.portId;
      preserve = 1;
      await d.network.ports
        .update(ctx, portId, {
          device_id: server.row.id,
          device_owner: `compute:${server.row.availability_zone}`,
        })
        .catch(neutronFailure);
    } else {
      let networkId = nic.networkId;
      if (nic.kind === 'auto') {
        const topology = await d.network.autoTopology.get(ctx, 'None').catch(() => {
          throw new BuildFailed(
            `Unable to automatically allocate a network for project ${server.row.project_id}`,
          );
        });
        networkId = topology.id;
      }
      const stray = await firstStray(d, strays, recorded, networkId ?? '');
      portId =
        stray ??
        (
          await d.network.ports
            .create(ctx, server.row.project_id, {
              network_id: networkId ?? '',
              device_id: server.row.id,
              device_owner: `compute:${server.row.availability_zone}`,
              ...(payload.securityGroups.length > 0
                ? { security_groups: payload.securityGroups }
                : {}),
              ...(nic.fixedIp !== undefined ? { fixed_ips: [{ ip_address: nic.fixedIp }] } : {}),
            })
            .catch(neutronFailure)
        ).id;
    }
    // The binding is an admin attribute: Nova sets it with its admin client, as here.
    await d.network.ports
      .update(elevated(ctx), portId, { binding_host_id: d.host.name })
      .catch(neutronFailure);
    recorded.add(portId);
    await d.db
      .insertInto('server_interfaces')
      .values({
        server_id: server.row.id,
        port_id: portId,
        position,
        preserve,
        tag: nic.tag ?? null,
      })
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
}

/** Nova's admin client: the same project, with the admin role. */
function elevated(ctx: RequestContext): RequestContext {
  return { ...ctx, roles: [...new Set([...ctx.roles, 'admin'])], isAdmin: true };
}

async function firstStray(
  d: ServerWorkDeps,
  strays: string[],
  recorded: Set<string>,
  networkId: string,
): Promise<string | undefined> {
  const left = strays.filter((p) => !recorded.has(p));
  if (left.length === 0) return undefined;
  const info = await d.network.computePorts.interfaces(left);
  return left.find((p) => info.get(p)?.network_id === networkId);
}

/**
 * Gives the server's ports back: ports Nova made are deleted, ports the user brought are
 * unbound (device and host cleared) and stay. Ports already gone are fine.
 */
export async function releasePorts(
  d: ServerWorkDeps,
  ctx: RequestContext,
  server: Server,
): Promise<void> {
  const all = (await d.network.computePorts.ofDevices([server.row.id])).get(server.row.id) ?? [];
  const preserved = new Set(
    server.interfaces.filter((i) => i.preserve === 1).map((i) => i.port_id),
  );
  const ignoreGone = (err: unknown): void => {
    if (err instanceof NeutronFault && err.status === 404) return;
    throw err;
  };
  for (const portId of new Set([...server.interfaces.map((i) => i.port_id), ...all])) {
    if (preserved.has(portId)) {
      await d.network.ports
        .update(elevated(ctx), portId, { device_id: '', device_owner: '', binding_host_id: '' })
        .catch(ignoreGone);
    } else {
      await d.network.ports.delete(elevated(ctx), portId).catch(ignoreGone);
    }
  }
  await d.db.deleteFrom('server_interfaces').where('server_id', '=', server.row.id).execute();
}
