import type { Microversion } from '../../../../http/microversion.js';
import { versionBelow } from '../../../../http/microversion.js';
import { Type, type TSchema } from '../../../../http/schema.js';
import { serverBasicView, serverView } from '../../views/server.view.js';
import { parseBody, since } from '../parse.js';
import { NAME } from '../servers.schemas.js';
import type { ActionHandler } from './types.js';

// nova/api/openstack/compute/schemas/servers.py (Zed) rebuild, by microversion.

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

export const REBUILD_ACTION_HANDLERS: ReadonlyArray<readonly [string, ActionHandler]> = [
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
];
