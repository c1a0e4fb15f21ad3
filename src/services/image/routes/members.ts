import type { FastifyInstance } from 'fastify';
import { BadRequest } from '../../../errors.js';
import { isJsonObject } from '../../../http/input.js';
import { parse } from '../../../http/schema.js';
import type { ImageService } from '../service.js';
import { ownViolation } from '../errors.js';
import { memberView, membersView } from '../views/member.view.js';
import { MemberBody, MemberStatusBody, NOT_AN_OBJECT } from './images.schemas.js';

type Params = { id: string; member: string };

/** image_members.py RequestDeserializer: a body, an object, then the field. */
function body(raw: unknown, notAnObject: string): Record<string, unknown> {
  if (raw === undefined) throw new BadRequest('Body expected in request.');
  if (!isJsonObject(raw)) throw new BadRequest(notAnObject);
  return raw;
}

/** /v2/images/{id}/members[/{member}]: image sharing. */
export function memberRoutes(app: FastifyInstance, images: ImageService): void {
  app.get<{ Params: Params }>('/v2/images/:id/members', async (req) =>
    membersView(await images.members.list(req.ctx, req.params.id)),
  );

  // Glance answers 200 here, not 201; Tempest checks it.
  app.post<{ Params: Params }>('/v2/images/:id/members', async (req) => {
    const b = body(req.body, NOT_AN_OBJECT.member);
    // Glance: `if not member_id` (an empty string, null, 0, false...).
    if (Object.hasOwn(b, 'member') && !b.member) throw new BadRequest("Member can't be empty");
    const { member } = parse(MemberBody, b, ownViolation);
    return memberView(await images.members.add(req.ctx, req.params.id, member));
  });

  app.get<{ Params: Params }>('/v2/images/:id/members/:member', async (req) =>
    memberView(await images.members.get(req.ctx, req.params.id, req.params.member)),
  );

  app.put<{ Params: Params }>('/v2/images/:id/members/:member', async (req) => {
    const { status } = parse(MemberStatusBody, body(req.body, NOT_AN_OBJECT.status), ownViolation);
    return memberView(
      await images.members.setStatus(req.ctx, req.params.id, req.params.member, status),
    );
  });

  app.delete<{ Params: Params }>('/v2/images/:id/members/:member', async (req, reply) => {
    await images.members.remove(req.ctx, req.params.id, req.params.member);
    return reply.code(204).send();
  });
}
