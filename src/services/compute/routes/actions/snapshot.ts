import { versionBelow } from '../../../../http/microversion.js';
import { Type } from '../../../../http/schema.js';
import { parseBody } from '../parse.js';
import { NAME } from '../servers.schemas.js';
import type { ActionHandler } from './types.js';

const METADATA = Type.Record(
  Type.String({ pattern: '^[a-zA-Z0-9-_:. ]{1,255}$' }),
  Type.String({ maxLength: 255 }),
  { additionalProperties: false },
);
const CREATE_IMAGE = Type.Object(
  {
    createImage: Type.Object(
      { name: NAME, metadata: Type.Optional(METADATA) },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
const CONSOLE = Type.Object(
  {
    'os-getConsoleOutput': Type.Object(
      {
        length: Type.Optional(
          Type.Union([
            Type.Integer({ minimum: -1 }),
            Type.String({ pattern: '^-?[0-9]+$' }),
            Type.Null(),
          ]),
        ),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

export const SNAPSHOT_ACTION_HANDLERS: ReadonlyArray<readonly [string, ActionHandler]> = [
  [
    // 202; the image's id in a Location header before 2.45, in the body from 2.45.
    'createImage',
    async ({ req, reply, compute, id, body, imageBase }) => {
      const { createImage } = parseBody(CREATE_IMAGE, body);
      const imageId = await compute.servers.createImage(
        req.ctx,
        id,
        createImage.name,
        createImage.metadata ?? {},
      );
      if (!versionBelow(req.computeMv, [2, 45])) return reply.code(202).send({ image_id: imageId });
      return reply.code(202).header('location', `${imageBase}/images/${imageId}`).send();
    },
  ],
  [
    'os-getConsoleOutput',
    async ({ req, compute, id, body }) => {
      const { 'os-getConsoleOutput': c } = parseBody(CONSOLE, body);
      const length = c.length === undefined || c.length === null ? null : Number(c.length);
      return { output: await compute.servers.consoleOutput(req.ctx, id, length) };
    },
  ],
];
