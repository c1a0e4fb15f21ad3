import { randomBytes } from 'node:crypto';
import type { Microversion } from '../../../../http/microversion.js';
import { versionBelow } from '../../../../http/microversion.js';
import { NotFound } from '../../../../errors.js';
import { Type, type TSchema } from '../../../../http/schema.js';
import { serverBasicView, serverView } from '../../views/server.view.js';
import { parseBody, since } from '../parse.js';
import { NAME } from '../servers.schemas.js';
import type { ActionHandler } from './types.js';

// nova/api/openstack/compute/schemas/{servers,shelve,create_backup,reset_server_state}.py (Zed)

const METADATA = Type.Record(
  Type.String({ pattern: '^[a-zA-Z0-9-_:. ]{1,255}$' }),
  Type.String({ maxLength: 255 }),
  { additionalProperties: false },
);
const DISK_CONFIG = Type.Union([Type.Literal('AUTO'), Type.Literal('MANUAL')]);

interface RebuildFeatures {
  description: boolean;
  keyName: boolean;
  userData: boolean;
  certs: boolean;
  hostname: boolean;
}

function rebuildSchema(f: RebuildFeatures): TSchema {
  const rebuild = Type.Object(
    {
      imageRef: Type.String({ minLength: 1 }),
      name: Type.Optional(NAME),
      adminPass: Type.Optional(Type.String()),
      metadata: Type.Optional(METADATA),
      preserve_ephemeral: Type.Optional(Type.Boolean()),
      'OS-DCF:diskConfig': Type.Optional(DISK_CONFIG),
      accessIPv4: Type.Optional(Type.String()),
      accessIPv6: Type.Optional(Type.String()),
      ...(f.userData
        ? { user_data: Type.Optional(Type.Union([Type.String({ maxLength: 65535 }), Type.Null()])) }
        : {
            personality: Type.Optional(
              Type.Array(Type.Object({ path: Type.String(), contents: Type.String() })),
            ),
          }),
      ...(f.description
        ? { description: Type.Optional(Type.Union([Type.String({ maxLength: 255 }), Type.Null()])) }
        : {}),
      ...(f.keyName
        ? {
            key_name: Type.Optional(
              Type.Union([Type.String({ minLength: 1, maxLength: 255 }), Type.Null()]),
            ),
          }
        : {}),
      ...(f.certs
        ? {
            trusted_image_certificates: Type.Optional(
              Type.Union([Type.Array(Type.String({ minLength: 1 })), Type.Null()]),
            ),
          }
        : {}),
      ...(f.hostname
        ? { hostname: Type.Optional(Type.String({ minLength: 2, maxLength: 63 })) }
        : {}),
    },
    { additionalProperties: false },
  );
  return Type.Object({ rebuild }, { additionalProperties: false });
}

const none: RebuildFeatures = {
  description: false,
  keyName: false,
  userData: false,
  certs: false,
  hostname: false,
};
const REBUILD: ReadonlyArray<readonly [Microversion, TSchema]> = [
  [[2, 1], rebuildSchema(none)],
  [[2, 19], rebuildSchema({ ...none, description: true })],
  [[2, 54], rebuildSchema({ ...none, description: true, keyName: true })],
  [[2, 57], rebuildSchema({ ...none, description: true, keyName: true, userData: true })],
  [
    [2, 63],
    rebuildSchema({
      description: true,
      keyName: true,
      userData: true,
      certs: true,
      hostname: false,
    }),
  ],
  [
    [2, 90],
    rebuildSchema({
      description: true,
      keyName: true,
      userData: true,
      certs: true,
      hostname: true,
    }),
  ],
];

type RebuildBody = {
  rebuild: {
    imageRef: string;
    name?: string;
    adminPass?: string;
    metadata?: Record<string, string>;
    accessIPv4?: string;
    accessIPv6?: string;
    description?: string | null;
    key_name?: string | null;
    user_data?: string | null;
    hostname?: string;
  };
};

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
  [
    // 202 with the server (the basic view before 2.75), its admin password and a Location.
    'rebuild',
    async ({ req, reply, compute, id, body, base }) => {
      const mv = req.computeMv;
      const { rebuild: b } = parseBody(since(mv, REBUILD), body) as RebuildBody;
      const { server, adminPass } = await compute.servers.lifecycle.rebuild(req.ctx, id, {
        imageRef: b.imageRef,
        ...(b.name !== undefined ? { name: b.name } : {}),
        ...(b.metadata !== undefined ? { metadata: b.metadata } : {}),
        ...(b.adminPass !== undefined ? { adminPass: b.adminPass } : {}),
        ...(b.accessIPv4 !== undefined ? { accessIPv4: b.accessIPv4 } : {}),
        ...(b.accessIPv6 !== undefined ? { accessIPv6: b.accessIPv6 } : {}),
        ...(b.description !== undefined ? { description: b.description } : {}),
        ...(b.key_name !== undefined ? { keyName: b.key_name } : {}),
        ...(b.user_data !== undefined ? { userData: b.user_data } : {}),
        ...(b.hostname !== undefined ? { hostname: b.hostname } : {}),
      });
      const v = { isAdmin: req.ctx.isAdmin, base };
      let view: Record<string, unknown>;
      if (versionBelow(mv, [2, 75])) {
        view = serverBasicView(server, mv, v);
        if (!versionBelow(mv, [2, 54])) view.key_name = server.row.key_name;
      } else {
        const groups = versionBelow(mv, [2, 71])
          ? undefined
          : await compute.servers.groupsOf(server.row.id);
        view = serverView(server, mv, v, { groups });
        delete view['OS-EXT-SRV-ATTR:user_data'];
      }
      view.adminPass = adminPass;
      if (!versionBelow(mv, [2, 57])) view.user_data = server.row.user_data;
      return reply
        .code(202)
        .header('location', `${base}/compute/v2.1/servers/${server.row.id}`)
        .send({ server: view });
    },
  ],
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
