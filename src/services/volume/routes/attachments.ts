import type { FastifyInstance, FastifyRequest } from 'fastify';
import { BadRequest, NotFound } from '../../../errors.js';
import { parse, Type } from '../../../http/schema.js';
import { envelope, isJsonObject } from '../../../http/input.js';
import { pyRepr, pyStr } from '../../../http/pyrepr.js';
import { isUuid } from '../../../util.js';
import type { VolumeService } from '../service.js';
import { cinderViolation, missingElement } from '../errors.js';
import { atLeast } from '../views/volume.view.js';
import { attachmentSummaryView, attachmentView } from '../views/attachment.view.js';
import type { AttachmentCreate } from '../types.js';
import { checkFilters, first, ListQuery, pagingFrom, scopeFrom } from './list-query.js';

type Params = { id: string };

/** cinder/api/schemas/attachments.py create (mode from 3.54); uuids are checked below. */
const CreateBody = Type.Object(
  {
    attachment: Type.Object(
      {
        volume_uuid: Type.String(),
        instance_uuid: Type.Optional(Type.Union([Type.String(), Type.Null()])),
        connector: Type.Optional(Type.Union([Type.Object({}), Type.Null()])),
        mode: Type.Optional(Type.Union([Type.Literal('rw'), Type.Literal('ro')])),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

const UpdateBody = Type.Object(
  {
    attachment: Type.Object(
      { connector: Type.Object({}, { minProperties: 1 }) },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

/** etc/cinder/resource_filters.json's `attachment`. */
const ATTACHMENT_FILTERS = new Set(['volume_id', 'status', 'instance_id', 'attach_status']);

/** Below its microversion a method does not exist: webob's bare 404. */
function since(req: FastifyRequest, minor: number): void {
  if (!atLeast(req.volumeMv, minor)) throw new NotFound('The resource could not be found.');
}

function uuidField(field: string, value: string): void {
  if (!isUuid(value))
    throw new BadRequest(
      `Invalid input for field/attribute ${field}. Value: ${pyStr(value)}. ${pyRepr(value)} is not a 'uuid'`,
    );
}

function createInput(req: FastifyRequest): AttachmentCreate {
  envelope(req.body, 'attachment', () => missingElement('attachment'));
  const a = parse(CreateBody, req.body, cinderViolation).attachment;
  if (a.mode !== undefined && !atLeast(req.volumeMv, 54))
    throw new BadRequest(
      `Invalid input for field/attribute attachment. Value: ${pyStr(a)}. Additional properties are not allowed ('mode' was unexpected)`,
    );
  uuidField('volume_uuid', a.volume_uuid);
  if (typeof a.instance_uuid === 'string') uuidField('instance_uuid', a.instance_uuid);
  return {
    volumeId: a.volume_uuid,
    instanceUuid: a.instance_uuid?.toLowerCase() ?? null,
    connector: a.connector ?? null,
    mode: a.mode ?? 'null',
  };
}

/** /v3/{project_id}/attachments (3.27+): Cinder's new attach flow, which Nova uses. */
export function attachmentRoutes(app: FastifyInstance, service: VolumeService): void {
  for (const detail of [false, true]) {
    app.get(detail ? '/attachments/detail' : '/attachments', async (req) => {
      since(req, 27);
      const q = parse(ListQuery, req.query, cinderViolation);
      checkFilters(req.ctx, req.volumeMv, q, ATTACHMENT_FILTERS);
      const paging = pagingFrom(q, ['created_at', 'id']);
      const filters = {
        volumeId: first(q, 'volume_id'),
        status: first(q, 'status') ?? first(q, 'attach_status'),
        instanceId: first(q, 'instance_id'),
      };
      const list = await service.listAttachments(req.ctx, scopeFrom(q), filters, paging);
      return { attachments: list.map(detail ? attachmentView : attachmentSummaryView) };
    });
  }

  app.post('/attachments', async (req) => {
    since(req, 27);
    const attachment = await service.createAttachment(req.ctx, createInput(req));
    return { attachment: attachmentView(attachment) };
  });

  app.get<{ Params: Params }>('/attachments/:id', async (req) => {
    since(req, 27);
    return { attachment: attachmentView(await service.getAttachment(req.ctx, req.params.id)) };
  });

  app.put<{ Params: Params }>('/attachments/:id', async (req) => {
    since(req, 27);
    envelope(req.body, 'attachment', () => missingElement('attachment'));
    const { connector } = parse(UpdateBody, req.body, cinderViolation).attachment;
    const attachment = await service.updateAttachment(req.ctx, req.params.id, connector);
    return { attachment: attachmentView(attachment) };
  });

  app.delete<{ Params: Params }>('/attachments/:id', async (req) => {
    since(req, 27);
    const left = await service.deleteAttachment(req.ctx, req.params.id);
    return { attachments: left.map(attachmentSummaryView) };
  });

  app.post<{ Params: Params }>('/attachments/:id/action', async (req, reply) => {
    since(req, 44);
    const body = isJsonObject(req.body) ? req.body : {};
    const [action, ...extra] = Object.keys(body);
    if (action !== 'os-complete' || extra.length > 0)
      throw new BadRequest(`There is no such action: ${action ?? 'None'}`);
    await service.completeAttachment(req.ctx, req.params.id);
    return reply.code(204).send();
  });
}
