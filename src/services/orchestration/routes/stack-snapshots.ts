import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isJsonObject } from '../../../http/input.js';
import { HeatFault } from '../errors.js';
import type { OrchestrationService } from '../service.js';
import { snapshotView } from '../views/snapshot.view.js';

type Identified = { tenant_id: string; stack_name: string; stack_id: string };
type Snap = Identified & { snapshot_id: string };

const BASE = '/stacks/:stack_name/:stack_id/snapshots';

/** Stack snapshots: create (200, the bare snapshot), list, show, delete (204), restore (202). */
export function stackSnapshotRoutes(app: FastifyInstance, heat: OrchestrationService): void {
  const stackOf = (req: FastifyRequest<{ Params: Identified }>) =>
    heat.getStack(req.ctx, req.params.stack_name, req.params.stack_id);

  app.post<{ Params: Identified }>(BASE, async (req) => {
    const body = req.body ?? {};
    if (!isJsonObject(body)) {
      throw new HeatFault('HTTPBadRequest', 'The request body must be a JSON object.', 400);
    }
    const name = body.name;
    if (name !== undefined && name !== null && typeof name !== 'string') {
      throw new HeatFault('HTTPBadRequest', 'The snapshot name must be a string.', 400);
    }
    const stack = await stackOf(req);
    return snapshotView(await heat.createSnapshot(req.ctx, stack, name ?? null));
  });

  app.get<{ Params: Identified }>(BASE, async (req) => {
    const stack = await stackOf(req);
    return { snapshots: (await heat.listSnapshots(req.ctx, stack)).map(snapshotView) };
  });

  app.get<{ Params: Snap }>(`${BASE}/:snapshot_id`, async (req) => {
    const stack = await stackOf(req);
    return {
      snapshot: snapshotView(await heat.getSnapshot(req.ctx, stack, req.params.snapshot_id)),
    };
  });

  app.delete<{ Params: Snap }>(`${BASE}/:snapshot_id`, async (req, reply) => {
    const stack = await stackOf(req);
    await heat.deleteSnapshot(req.ctx, stack, req.params.snapshot_id);
    return reply.code(204).send();
  });

  app.post<{ Params: Snap }>(`${BASE}/:snapshot_id/restore`, async (req, reply) => {
    const stack = await stackOf(req);
    await heat.restoreSnapshot(req.ctx, stack, req.params.snapshot_id);
    return reply.code(202).send();
  });
}
