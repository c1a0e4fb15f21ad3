import type { FastifyInstance } from 'fastify';
import { NotFound } from '../../../errors.js';
import type { ComputeService } from '../service.js';
import { addressesOf } from '../views/server.view.js';

type Params = { id: string };
type NetParams = { id: string; network: string };

/**
 * /servers/{id}/ips and /ips/{network}: the server's addresses by network name, each only
 * `version` and `addr` (nova/api/openstack/compute/views/addresses.py).
 */
export function serverIpRoutes(app: FastifyInstance, compute: ComputeService): void {
  app.get<{ Params: Params }>('/servers/:id/ips', async (req) => {
    const server = await compute.servers.get(req.ctx, req.params.id);
    return { addresses: addressesOf(server, false) };
  });

  app.get<{ Params: NetParams }>('/servers/:id/ips/:network', async (req) => {
    const server = await compute.servers.get(req.ctx, req.params.id);
    const addresses = addressesOf(server, false);
    const name = req.params.network;
    if (!Object.hasOwn(addresses, name))
      throw new NotFound('Instance is not a member of specified network');
    return { [name]: addresses[name] };
  });
}

/** /servers/{id}/os-server-password: read and clear. */
export function serverPasswordRoutes(app: FastifyInstance, compute: ComputeService): void {
  app.get<{ Params: Params }>('/servers/:id/os-server-password', async (req) => ({
    password: await compute.serverPassword(req.ctx, req.params.id),
  }));

  app.delete<{ Params: Params }>('/servers/:id/os-server-password', async (req, reply) => {
    await compute.clearServerPassword(req.ctx, req.params.id);
    return reply.code(204).send();
  });
}
