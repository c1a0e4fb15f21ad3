import { isoSeconds } from '../../../util.js';
import type { Stack, StackOutput } from '../service.js';

/** heat/common/timeutils.py isotime: seconds, with a Z. */
export function heatTime(stored: string | null): string | null {
  return stored === null ? null : isoSeconds(stored);
}

export function stackLinks(base: string, stack: Pick<Stack, 'id' | 'name' | 'projectId'>) {
  return [
    {
      href: `${base}/v1/${stack.projectId}/stacks/${encodeURIComponent(stack.name)}/${stack.id}`,
      rel: 'self',
    },
  ];
}

/** A stack in `stack list`: the summary fields of heat/api/openstack/v1/views/stacks_view.py. */
export function stackSummaryView(base: string, stack: Stack) {
  return {
    id: stack.id,
    links: stackLinks(base, stack),
    stack_name: stack.name,
    description: description(stack),
    stack_status: `${stack.action}_${stack.status}`,
    stack_status_reason: stack.statusReason,
    creation_time: heatTime(stack.createdAt),
    updated_time: heatTime(stack.updatedAt),
    deletion_time: heatTime(stack.deletedAt),
    stack_owner: null,
    parent: stack.ownerId,
    stack_user_project_id: stack.projectId,
    tags: stack.tags,
  };
}

/** `stack show`: the summary plus parameters, outputs and the rest of format_stack. */
export function stackView(
  base: string,
  stack: Stack,
  parameters: Record<string, string>,
  outputs: StackOutput[],
) {
  return {
    ...stackSummaryView(base, stack),
    template_description: description(stack),
    disable_rollback: stack.disableRollback,
    timeout_mins: stack.timeoutMins,
    capabilities: [],
    notification_topics: [],
    parameters,
    outputs: outputs.map((o) => ({
      output_key: o.key,
      description: o.description ?? 'No description given',
      output_value: o.value,
      ...(o.error !== null ? { output_error: o.error } : {}),
    })),
  };
}

function description(stack: Stack): string {
  const d = stack.template.description ?? stack.template.Description;
  return typeof d === 'string' ? d : 'No description';
}
