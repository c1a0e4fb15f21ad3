import type { FastifyInstance } from 'fastify';
import { BadRequest } from '../../../errors.js';
import { versionBelow } from '../../../http/microversion.js';
import { Type } from '../../../http/schema.js';
import type { ComputeService } from '../service.js';
import { parseBody } from './parse.js';
import { NAME } from './servers.schemas.js';

type Params = { id: string };

const METADATA = Type.Record(
  Type.String({ pattern: '^[a-zA-Z0-9-_:. ]{1,255}$' }),
  Type.String({ maxLength: 255 }),
  {
    additionalProperties: false,
  },
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
const REBOOT = Type.Object(
  {
    reboot: Type.Object(
      {
        type: Type.Union(
          ['HARD', 'Hard', 'hard', 'SOFT', 'Soft', 'soft'].map((t) => Type.Literal(t)),
        ),
      },
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
const LOCK = Type.Object(
  {
    lock: Type.Union([
      Type.Null(),
      Type.Object(
        { locked_reason: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })) },
        { additionalProperties: false },
      ),
    ]),
  },
  { additionalProperties: false },
);

/** Actions whose body is `{"<action>": null}` and the power action each one is. */
const POWER = new Map([
  ['os-stop', 'stop'],
  ['os-start', 'start'],
  ['pause', 'pause'],
  ['unpause', 'unpause'],
  ['suspend', 'suspend'],
  ['resume', 'resume'],
]);

/** POST /servers/{id}/action: one key names the action, its value is the action's body. */
export function serverActionRoutes(
  app: FastifyInstance,
  compute: ComputeService,
  imageBase: () => string,
): void {
  app.post<{ Params: Params }>('/servers/:id/action', async (req, reply) => {
    const body = req.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      throw new BadRequest('Malformed request body');
    const keys = Object.keys(body);
    if (keys.length !== 1) throw new BadRequest('Malformed request body');
    const action = keys[0]!;
    const id = req.params.id;
    const ctx = req.ctx;
    const mv = req.computeMv;
    const power = POWER.get(action);
    if (power !== undefined) {
      await compute.servers.get(ctx, id);
      await compute.servers.powerAction(ctx, id, power);
      return reply.code(202).send();
    }
    switch (action) {
      case 'reboot': {
        const { reboot } = parseBody(REBOOT, body);
        await compute.servers.powerAction(
          ctx,
          id,
          reboot.type.toUpperCase() === 'HARD' ? 'reboot-hard' : 'reboot',
        );
        return reply.code(202).send();
      }
      case 'lock': {
        const { lock } = parseBody(LOCK, body);
        await compute.servers.setLocked(
          ctx,
          id,
          true,
          versionBelow(mv, [2, 73]) ? undefined : (lock?.locked_reason ?? undefined),
        );
        return reply.code(202).send();
      }
      case 'unlock':
        await compute.servers.setLocked(ctx, id, false);
        return reply.code(202).send();
      case 'createImage': {
        const { createImage } = parseBody(CREATE_IMAGE, body);
        const imageId = await compute.servers.createImage(
          ctx,
          id,
          createImage.name,
          createImage.metadata ?? {},
        );
        if (!versionBelow(mv, [2, 45])) return reply.code(202).send({ image_id: imageId });
        return reply.code(202).header('location', `${imageBase()}/images/${imageId}`).send();
      }
      case 'os-getConsoleOutput': {
        const { 'os-getConsoleOutput': c } = parseBody(CONSOLE, body);
        const length = c.length === undefined || c.length === null ? null : Number(c.length);
        return { output: await compute.servers.consoleOutput(ctx, id, length) };
      }
      default:
        throw new BadRequest(`There is no such action: ${action}`);
    }
  });
}
