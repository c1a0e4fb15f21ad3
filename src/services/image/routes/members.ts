import type { FastifyInstance } from 'fastify';
import type { ImageService } from '../service.js';
import { memberView } from '../views/image.view.js';

type Params = { id: string; member: string };

/** /v2/images/{id}/members[/{member}]: image sharing. */
export function memberRoutes(app: FastifyInstance, images: ImageService): void {
  app.get<{ Params: Params }>('/v2/images/:id/members', async (req) => ({
    members: (await images.members.list(req.ctx, req.params.id)).map(memberView),
    schema: '/v2/schemas/members',
  }));

  // Glance answers 200 here, not 201; Tempest checks it.
  app.post<{ Params: Params }>('/v2/images/:id/members', async (req) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    return memberView(await images.members.add(req.ctx, req.params.id, body.member));
  });

  app.get<{ Params: Params }>('/v2/images/:id/members/:member', async (req) =>
    memberView(await images.members.get(req.ctx, req.params.id, req.params.member)),
  );

  app.put<{ Params: Params }>('/v2/images/:id/members/:member', async (req) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    return memberView(
      await images.members.setStatus(req.ctx, req.params.id, req.params.member, body.status),
    );
  });

  app.delete<{ Params: Params }>('/v2/images/:id/members/:member', async (req, reply) => {
    await images.members.remove(req.ctx, req.params.id, req.params.member);
    return reply.code(204).send();
  });
}
