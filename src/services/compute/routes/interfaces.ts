import { isIP } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { pyRepr } from '../../../http/pyrepr.js';
import { invalidField } from '../errors.js';
import type { ComputeService } from '../service.js';
import { interfaceView } from '../views/interface.view.js';
import { ATTACH_INTERFACE } from './attachments.schemas.js';
import { parseBody, since } from './parse.js';

type Params = { id: string };
type ItemParams = { id: string; portId: string };

/** /servers/{id}/os-interface: list, show, attach (200 with the new interface), detach (202). */
export function interfaceRoutes(app: FastifyInstance, compute: ComputeService): void {
  const base = '/servers/:id/os-interface';

  app.get<{ Params: Params }>(base, async (req) => {
    const list = await compute.serverInterfaces.list(req.ctx, req.params.id);
    return { interfaceAttachments: list.map((i) => interfaceView(i, req.computeMv)) };
  });

  app.get<{ Params: ItemParams }>(`${base}/:portId`, async (req) => {
    const i = await compute.serverInterfaces.get(req.ctx, req.params.id, req.params.portId);
    return { interfaceAttachment: interfaceView(i, req.computeMv) };
  });

  app.post<{ Params: Params }>(base, async (req) => {
    const mv = req.computeMv;
    // Nova takes no body at all as "any network".
    const body = parseBody(since(mv, ATTACH_INTERFACE), req.body ?? {});
    const a: {
      net_id?: string;
      port_id?: string;
      fixed_ips?: { ip_address: string }[];
      tag?: string;
    } = body.interfaceAttachment ?? {};
    const ip = a.fixed_ips?.[0]?.ip_address;
    if (ip !== undefined && isIP(ip) === 0)
      throw invalidField(
        'ip_address',
        ip,
        `${pyRepr(ip)} is not valid under any of the given schemas`,
      );
    const i = await compute.serverInterfaces.attach(req.ctx, req.params.id, {
      netId: a.net_id ?? null,
      portId: a.port_id ?? null,
      fixedIp: ip ?? null,
      tag: a.tag ?? null,
    });
    return { interfaceAttachment: interfaceView(i, mv) };
  });

  app.delete<{ Params: ItemParams }>(`${base}/:portId`, async (req, reply) => {
    await compute.serverInterfaces.detach(req.ctx, req.params.id, req.params.portId);
    return reply.code(202).send();
  });
}
