import { isoSeconds } from '../../../util.js';
import type { Stack, StackOutput } from '../service.js';

/** heat/common/timeutils.py isotime: seconds, with a Z. */
export function heatTime(stored: string | null): string | null {
  return stored === null ? null : isoSeconds(stored);
}

/** `<endpoint>/<tenant>/stacks/<name>/<id>`: a stack's identity as Heat links it. */
export function stackHref(base: string, stack: Pick<Stack, 'id' | 'name' | 'projectId'>): string {
  return `${base}/v1/${stack.projectId}/stacks/${encodeURIComponent(stack.name)}/${stack.id}`;
}

export function stackLinks(base: string, stack: Pick<Stack, 'id' | 'name' | 'projectId'>) {
  return [{ href: stackHref(base, stack), rel: 'self' }];
}

/** A stack in `stack list`: format_stack_db_object (no description) as stacks_view shows it. */
export function stackSummaryView(
  base: string,
  stack: Stack,
  owner: string,
  withProject = false,
): Record<string, unknown> {
  return {
    id: stack.id,
    links: stackLinks(base, stack),
    stack_name: stack.name,
    description: '',
    stack_status: `${stack.action}_${stack.status}`,
    stack_status_reason: stack.statusReason,
    creation_time: heatTime(stack.createdAt),
    updated_time: heatTime(stack.updatedAt),
    deletion_time: heatTime(stack.deletedAt),
    stack_owner: owner,
    parent: stack.ownerId,
    stack_user_project_id: stack.projectId,
    tags: stack.tags && stack.tags.length ? stack.tags : null,
    ...(withProject ? { project: stack.projectId } : {}),
  };
}

/** `stack show` and `stacks/detail`: format_stack, outputs unless deleted or not asked for. */
export function stackView(
  base: string,
  stack: Stack,
  owner: string,
  parameters: Record<string, string>,
  outputs: StackOutput[] | null,
  // The loaded definition's (a show need not parse the stored template again).
  template: Record<string, unknown> = stack.template,
): Record<string, unknown> {
  const view: Record<string, unknown> = {
    ...stackSummaryView(base, stack, owner),
    description: description(template),
    template_description: description(template),
    disable_rollback: stack.disableRollback,
    timeout_mins: stack.timeoutMins,
    capabilities: [],
    notification_topics: [],
    parameters,
  };
  if (outputs !== null) view.outputs = outputs.map(outputView);
  return view;
}

/** An output as show and `output show` give it: output_error only when it failed. */
export function outputView(o: StackOutput): Record<string, unknown> {
  return {
    output_key: o.key,
    description: o.description ?? 'No description given',
    output_value: o.value,
    ...(o.error !== null ? { output_error: o.error } : {}),
  };
}

function description(template: Record<string, unknown>): string {
  const d = template.description ?? template.Description;
  return typeof d === 'string' ? d : 'No description';
}
