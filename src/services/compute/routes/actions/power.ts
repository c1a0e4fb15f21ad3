import { versionBelow } from '../../../../http/microversion.js';
import { Type } from '../../../../http/schema.js';
import { parseBody } from '../parse.js';
import type { ActionHandler } from './types.js';

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

/** `{"<action>": null}` bodies and the power action each one is. */
const simple = (key: string): ActionHandler => {
  return async ({ req, reply, compute, id }) => {
    await compute.servers.powerAction(req.ctx, id, key);
    return reply.code(202).send();
  };
};

export const POWER_ACTION_HANDLERS: ReadonlyArray<readonly [string, ActionHandler]> = [
  ['os-stop', simple('stop')],
  ['os-start', simple('start')],
  ['pause', simple('pause')],
  ['unpause', simple('unpause')],
  ['suspend', simple('suspend')],
  ['resume', simple('resume')],
  [
    'reboot',
    async ({ req, reply, compute, id, body }) => {
      const { reboot } = parseBody(REBOOT, body);
      const key = reboot.type.toUpperCase() === 'HARD' ? 'reboot-hard' : 'reboot';
      await compute.servers.powerAction(req.ctx, id, key);
      return reply.code(202).send();
    },
  ],
  [
    'lock',
    async ({ req, reply, compute, id, body }) => {
      const { lock } = parseBody(LOCK, body);
      const reason = versionBelow(req.computeMv, [2, 73]) ? undefined : lock?.locked_reason;
      await compute.servers.setLocked(req.ctx, id, true, reason);
      return reply.code(202).send();
    },
  ],
  [
    'unlock',
    async ({ req, reply, compute, id }) => {
      await compute.servers.setLocked(req.ctx, id, false);
      return reply.code(202).send();
    },
  ],
];
