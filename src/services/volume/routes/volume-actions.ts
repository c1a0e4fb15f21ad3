import type { FastifyInstance } from 'fastify';
import { BadRequest } from '../../../errors.js';
import { parse } from '../../../http/schema.js';
import { boolFromString, isJsonObject } from '../../../http/input.js';
import { pyRepr, pyStr } from '../../../http/pyrepr.js';
import { isUuid } from '../../../util.js';
import type { VolumeService } from '../service.js';
import { cinderViolation, invalidInput } from '../errors.js';
import { uploadView } from '../views/upload.view.js';
import type { AttachInput, UploadImage } from '../types.js';
import { sizeFrom } from './input.js';
import {
  AttachBody,
  DetachBody,
  ResetStatusArgs,
  UploadImageArgs,
} from './volume-actions.schemas.js';

type Params = { project_id: string; id: string };

/** A flag as Cinder's actions read it (oslo's words); anything else is Cinder's 400. */
function flag(value: unknown, field: string): boolean {
  const b = boolFromString(value);
  if (b === null) throw invalidInput(`${field} must be a boolean: ${pyRepr(value)}`);
  return b;
}

function uuidField(field: string, value: string): void {
  if (!isUuid(value))
    throw new BadRequest(
      `Invalid input for field/attribute ${field}. Value: ${pyStr(value)}. ${pyRepr(value)} is not a 'uuid'`,
    );
}

function attachInput(body: unknown): AttachInput {
  const args = parse(AttachBody, body, cinderViolation)['os-attach'];
  if (args.instance_uuid === undefined && args.host_name === undefined)
    throw new BadRequest(
      `Invalid input for field/attribute os-attach. Value: ${pyStr(args)}. ${pyRepr(args)} is not valid under any of the given schemas`,
    );
  if (args.instance_uuid !== undefined) uuidField('instance_uuid', args.instance_uuid);
  return {
    instanceUuid: args.instance_uuid?.toLowerCase() ?? null,
    hostName: args.host_name ?? null,
    mountpoint: args.mountpoint,
    mode: args.mode ?? 'rw',
  };
}

function detachInput(body: unknown): string | null {
  const id = parse(DetachBody, body, cinderViolation)['os-detach']?.attachment_id ?? null;
  if (id !== null) uuidField('attachment_id', id);
  return id;
}

function uploadInput(raw: unknown): UploadImage {
  const args = parse(UploadImageArgs, raw, cinderViolation);
  if (!args.image_name) throw invalidInput("'image_name' is a required property");
  const diskFormat = args.disk_format ?? 'raw';
  if (diskFormat !== 'raw' && diskFormat !== 'qcow2')
    throw invalidInput(
      `Invalid disk-format '${diskFormat}' specified. Allowed disk-formats are raw, qcow2.`,
    );
  return {
    imageName: args.image_name,
    diskFormat,
    containerFormat: args.container_format ?? 'bare',
    force: args.force === undefined ? false : flag(args.force, 'force'),
    visibility: args.visibility ?? undefined,
    protected: args.protected === undefined ? undefined : flag(args.protected, 'protected'),
  };
}

/** POST /v3/{project_id}/volumes/{id}/action: one action per body. */
export function volumeActionRoutes(app: FastifyInstance, service: VolumeService): void {
  app.post<{ Params: Params }>('/volumes/:id/action', async (req, reply) => {
    const body = isJsonObject(req.body) ? req.body : {};
    const [action, ...extra] = Object.keys(body);
    if (!action || extra.length > 0) throw new BadRequest('There is no such action: None');
    const raw = body[action];
    const args = isJsonObject(raw) ? raw : {};
    const { ctx } = req;
    const id = req.params.id;
    switch (action) {
      case 'os-extend':
        await service.extendVolume(ctx, id, sizeFrom(args.new_size));
        return reply.code(202).send();
      case 'os-reserve':
        await service.reserve(ctx, id);
        return reply.code(202).send();
      case 'os-unreserve':
        await service.unreserve(ctx, id);
        return reply.code(202).send();
      case 'os-begin_detaching':
        await service.beginDetaching(ctx, id);
        return reply.code(202).send();
      case 'os-roll_detaching':
        await service.rollDetaching(ctx, id);
        return reply.code(202).send();
      case 'os-attach':
        await service.attach(ctx, id, attachInput(body));
        return reply.code(202).send();
      case 'os-detach':
        await service.detach(ctx, id, detachInput(body));
        return reply.code(202).send();
      case 'os-set_bootable':
        await service.setBootable(ctx, id, flag(args.bootable, 'bootable'));
        return reply.code(200).send();
      case 'os-update_readonly_flag':
        await service.setReadonly(ctx, id, flag(args.readonly, 'readonly'));
        return reply.code(202).send();
      case 'os-reset_status': {
        const status = parse(ResetStatusArgs, args, cinderViolation).status;
        await service.resetVolumeStatus(ctx, id, status ?? undefined);
        return reply.code(202).send();
      }
      case 'os-force_delete':
        await service.deleteVolume(ctx, id, { cascade: false, force: true });
        return reply.code(202).send();
      case 'os-volume_upload_image': {
        const input = uploadInput(args);
        const { volume, imageId } = await service.uploadToImage(ctx, id, input);
        return reply.code(202).send(uploadView(volume, imageId, input));
      }
      default:
        throw new BadRequest(`There is no such action: ${action}`);
    }
  });
}
