/**
 * What Heat's nested-stack resources share (heat/engine/resources/stack_resource.py): the
 * child's environment, waiting for the child's action to end, and the failure text a child's
 * failure becomes on the parent resource.
 */
import { HeatFault } from '../../errors.js';
import { isMap } from '../../template/pyvalue.js';
import type { NestedStacks, ResourceContext, ResourceType } from '../types.js';
import { sleep } from './support.js';

const KEEP = ['parameter_defaults', 'resource_registry', 'event_sinks', 'encrypted_param_names'];

/**
 * environment.get_child_environment: the parent's registry and parameter defaults pass down,
 * its parameters do not (the child gets the resource's properties); `resources` entries are
 * scoped to this resource's own (when it names one), and the entry that mapped `ownType` to the template is dropped
 * so the template may use the type it stands for.
 */
export function childEnvironment(
  parent: Record<string, unknown> | undefined,
  resourceName: string | null,
  ownType?: string,
): Record<string, unknown> {
  const env: Record<string, unknown> = {};
  for (const key of KEEP) {
    if (parent && Object.hasOwn(parent, key)) env[key] = parent[key];
  }
  const reg = isMap(env['resource_registry']) ? { ...env['resource_registry'] } : {};
  if (ownType !== undefined) delete reg[ownType];
  const per = reg['resources'];
  if (isMap(per) && resourceName !== null) {
    const mine = Object.hasOwn(per, resourceName) ? per[resourceName] : undefined;
    if (isMap(mine)) reg['resources'] = mine;
    else delete reg['resources'];
  }
  env['resource_registry'] = reg;
  return env;
}

/** The child stack's service, which the engine always provides. */
export function nestedOf(rc: ResourceContext): NestedStacks {
  if (!rc.nested) throw new HeatFault('Error', 'Nested stacks are not available');
  return rc.nested;
}

/**
 * A child's failure as its parent resource reports it (ResourceFailure over a status reason):
 * "Resource CREATE failed: ValueError: resources.a: boom" of the child becomes
 * "ValueError: resources.<parent>.resources.a: boom".
 */
export class NestedFailure extends Error {
  constructor(
    readonly action: string,
    readonly childReason: string,
  ) {
    super(childReason);
  }

  /** The resource's reason; the engine asks for it instead of building its own. */
  resourceReason(resourceName: string): string {
    let error = '';
    let message = this.childReason;
    let path = ['resources', resourceName];
    if (this.childReason.includes(`Resource ${this.action} failed: `)) {
      const parts = this.childReason.split(':').map((p) => p.trim());
      if (parts.length >= 4) {
        error = parts[1]!;
        message = parts.slice(3).join(': ');
        path = [...path, ...parts[2]!.split('.')];
      }
    }
    return `${error === '' ? '' : `${error}: `}${formatPath(path)}: ${message}`;
  }
}

/** HeatExceptionWithPath's path: dotted, with digit items as indexes (`resources[0]`). */
function formatPath(path: string[]): string {
  let out = '';
  for (const item of path) {
    if (/^\d+$/.test(item)) out += `[${item}]`;
    else out += out.length > 0 ? `.${item}` : item;
  }
  return out;
}

/** _check_status_complete: true once the child ends `action`; its failure fails the resource. */
export async function childDone(rc: ResourceContext, id: string, action: string): Promise<boolean> {
  const state = await nestedOf(rc).state(id);
  if (state === null) return action === 'DELETE';
  if (state.action !== action) return false;
  if (state.status === 'IN_PROGRESS') return false;
  if (state.status === 'COMPLETE') return true;
  if (state.status === 'FAILED') throw new NestedFailure(action, state.reason);
  throw new HeatFault(
    'ResourceUnknownStatus',
    `Stack unknown status - Unknown status ${state.status} due to "${state.reason}"`,
  );
}

/** The stack identifier's ARN, what a template resource's reference is by default. */
export function stackArn(projectId: string, name: string, id: string): string {
  const q = (s: string) => encodeURIComponent(s);
  return `arn:openstack:heat::${q(projectId)}:stacks/${q(name)}/${q(id)}`;
}

/** Runs a stack action on the child and waits for it (StackResource.handle_suspend & co.). */
async function childAction(
  rc: ResourceContext,
  id: string,
  action: 'SUSPEND' | 'RESUME' | 'CHECK',
): Promise<void> {
  const nested = nestedOf(rc);
  if (!nested.act) return;
  await nested.act(id, action);
  for (let wait = 20; !(await childDone(rc, id, action)); wait = Math.min(wait * 2, 1000)) {
    await sleep(wait, rc.signal);
  }
}

/** suspend, resume and check of a nested-stack resource: the same action on its child. */
export const childActions: Pick<ResourceType, 'suspend' | 'resume' | 'check'> = {
  suspend: (rc, id) => childAction(rc, id, 'SUSPEND'),
  resume: (rc, id) => childAction(rc, id, 'RESUME'),
  check: (rc, id) => childAction(rc, id, 'CHECK'),
};
