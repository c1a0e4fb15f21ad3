import { BadRequest } from '../../../../errors.js';
import type { ActionHandler } from './types.js';

/**
 * The group a body names, as Nova's SecurityGroupActionController._parse reads it: the
 * action's value must be a dict with a non-blank `name` (a name or an id).
 */
function groupName(body: unknown, action: string): string {
  const value = (body as Record<string, unknown>)[action];
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new BadRequest('Missing parameter dict');
  if (!Object.hasOwn(value, 'name')) throw new BadRequest('Security group not specified');
  const name = (value as Record<string, unknown>).name;
  if (typeof name !== 'string' || name.trim() === '') {
    // Nova tests truthiness and then calls strip(): a non-string is refused either way.
    throw new BadRequest('Security group name cannot be empty');
  }
  return name;
}

const handler =
  (action: 'addSecurityGroup' | 'removeSecurityGroup'): ActionHandler =>
  async ({ req, reply, compute, id, body }) => {
    const name = groupName(body, action);
    if (action === 'addSecurityGroup') await compute.securityGroups.add(req.ctx, id, name);
    else await compute.securityGroups.remove(req.ctx, id, name);
    return reply.code(202).send();
  };

export const SECURITY_GROUP_ACTION_HANDLERS: ReadonlyArray<readonly [string, ActionHandler]> = [
  ['addSecurityGroup', handler('addSecurityGroup')],
  ['removeSecurityGroup', handler('removeSecurityGroup')],
];
