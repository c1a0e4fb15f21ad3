import { randomBytes } from 'node:crypto';
import { versionBelow } from '../../../../http/microversion.js';
import { NotFound } from '../../../../errors.js';
import { Type } from '../../../../http/schema.js';
import { parseBody } from '../parse.js';
import { NAME } from '../servers.schemas.js';
import type { ActionHandler } from './types.js';
import { REBUILD_ACTION_HANDLERS } from './rebuild.js';

// nova/api/openstack/compute/schemas/{servers,shelve,create_backup,reset_server_state}.py (Zed)

const METADATA = Type.Record(
  Type.String({ pattern: '^[a-zA-Z0-9-_:. ]{1,255}$' }),
  Type.String({ maxLength: 255 }),
  { additionalProperties: false },
);

const DISK_CONFIG = Type.Union([Type.Literal('AUTO'), Type.Literal('MANUAL')]);
const RESIZE = Type.Object(
  {
    resize: Type.Object(
      {
        flavorRef: Type.Union([Type.String({ minLength: 1 }), Type.Integer()]),
        'OS-DCF:diskConfig': Type.Optional(DISK_CONFIG),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
const CREATE_BACKUP = Type.Object(
  {
    createBackup: Type.Object(
      {
        name: NAME,
        backup_type: Type.String(),
        rotation: Type.Union([
          Type.Integer({ minimum: 0 }),
          Type.String({ pattern: '^[0-9]*$', minLength: 1 }),
        ]),
        metadata: Type.Optional(METADATA),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
const RESET_STATE = Type.Object(
  {
    'os-resetState': Type.Object(
      { state: Type.Union([Type.Literal('active'), Type.Literal('error')]) },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
const CRASH_DUMP = Type.Object(
  { trigger_crash_dump: Type.Null() },
  { additionalProperties: false },
);
const RESCUE = Type.Object(
  {
    rescue: Type.Union([
      Type.Null(),
      Type.Object(
        {
          adminPass: Type.Optional(Type.String()),
          rescue_image_ref: Type.Optional(
            Type.String({
              pattern:
                '^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$',
            }),
          ),
        },
        { additionalProperties: false },
      ),
    ]),
  },
  { additionalProperties: false },
);
const CHANGE_PASSWORD = Type.Object(
  {
    changePassword: Type.Object({ adminPass: Type.String() }, { additionalProperties: false }),
  },
  { additionalProperties: false },
);
const UNSHELVE_277 = Type.Object(
  {
    unshelve: Type.Union([
      Type.Null(),
      Type.Object(
        { availability_zone: Type.String({ minLength: 1, maxLength: 255 }) },
        { additionalProperties: false },
      ),
    ]),
  },
  { additionalProperties: false },
);
const UNSHELVE_291 = Type.Object(
  {
    unshelve: Type.Union([
      Type.Null(),
      Type.Object(
        {
          availability_zone: Type.Optional(
            Type.Union([Type.String({ minLength: 1, maxLength: 255 }), Type.Null()]),
          ),
          host: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
        },
        { additionalProperties: false, minProperties: 1 },
      ),
    ]),
  },
  { additionalProperties: false },
);

/** 202 with no body once the service took the action. */
const accepted = (call: (c: Parameters<ActionHandler>[0]) => Promise<unknown>): ActionHandler => {
  return async (c) => {
    await call(c);
    return c.reply.code(202).send();
  };
};

export const LIFECYCLE_ACTION_HANDLERS: ReadonlyArray<readonly [string, ActionHandler]> = [
  ['shelve', accepted(({ req, compute, id }) => compute.servers.lifecycle.shelve(req.ctx, id))],
  [
    'shelveOffload',
    accepted(({ req, compute, id }) => compute.servers.lifecycle.shelveOffload(req.ctx, id)),
  ],
  [
    'unshelve',
    accepted(({ req, compute, id, body }) => {
      const mv = req.computeMv;
      let placement = false;
      if (!versionBelow(mv, [2, 77])) {
        const { unshelve } = parseBody(
          versionBelow(mv, [2, 91]) ? UNSHELVE_277 : UNSHELVE_291,
          body,
        );
        placement = unshelve !== null;
      }
      return compute.servers.lifecycle.unshelve(req.ctx, id, placement);
    }),
  ],
  ...REBUILD_ACTION_HANDLERS,
  [
    'resize',
    accepted(({ req, compute, id, body }) => {
      const { resize } = parseBody(RESIZE, body);
      return compute.servers.lifecycle.resize(req.ctx, id, String(resize.flavorRef));
    }),
  ],
  [
    'confirmResize',
    async ({ req, reply, compute, id }) => {
      await compute.servers.lifecycle.confirmResize(req.ctx, id);
      return reply.code(204).send();
    },
  ],
  [
    'revertResize',
    accepted(({ req, compute, id }) => compute.servers.lifecycle.revertResize(req.ctx, id)),
  ],
  [
    // 202: from 2.45 the image id in the body; before, a Location (when rotation > 0).
    'createBackup',
    async ({ req, reply, compute, id, body, base }) => {
      const { createBackup: b } = parseBody(CREATE_BACKUP, body);
      const rotation = Number(b.rotation);
      const imageId = await compute.servers.lifecycle.createBackup(req.ctx, id, {
        name: b.name,
        backupType: b.backup_type,
        rotation,
        metadata: b.metadata ?? {},
      });
      if (!versionBelow(req.computeMv, [2, 45])) return reply.code(202).send({ image_id: imageId });
      if (rotation > 0) reply.header('location', `${base}/compute/images/${imageId}`);
      return reply.code(202).send();
    },
  ],
  [
    'os-resetState',
    accepted(({ req, compute, id, body }) => {
      const { 'os-resetState': r } = parseBody(RESET_STATE, body);
      return compute.servers.lifecycle.resetState(req.ctx, id, r.state);
    }),
  ],
  [
    'changePassword',
    accepted(({ req, compute, id, body }) => {
      parseBody(CHANGE_PASSWORD, body);
      return compute.servers.lifecycle.changePassword(req.ctx, id);
    }),
  ],
  [
    'trigger_crash_dump',
    async ({ req, reply, compute, id, body }) => {
      // Before 2.17 the action does not exist: Nova answers 404 for the method's version.
      if (versionBelow(req.computeMv, [2, 17]))
        throw new NotFound('The resource could not be found.');
      parseBody(CRASH_DUMP, body);
      await compute.servers.lifecycle.triggerCrashDump(req.ctx, id);
      return reply.code(202).send();
    },
  ],
  [
    // 200 with the admin password (enable_instance_password), given or generated.
    'rescue',
    async ({ req, compute, id, body }) => {
      const { rescue: r } = parseBody(RESCUE, body);
      const adminPass = r?.adminPass ?? randomBytes(9).toString('base64url').slice(0, 12);
      await compute.servers.lifecycle.rescue(req.ctx, id);
      return { adminPass };
    },
  ],
  ['unrescue', accepted(({ req, compute, id }) => compute.servers.lifecycle.unrescue(req.ctx, id))],
  ['restore', accepted(({ req, compute, id }) => compute.servers.lifecycle.restore(req.ctx, id))],
  [
    'forceDelete',
    accepted(({ req, compute, id }) => compute.servers.lifecycle.forceDelete(req.ctx, id)),
  ],
];
