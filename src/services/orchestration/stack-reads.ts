import type { RequestContext } from '../../context.js';
import { TemplateAnswers } from './template-answers.js';
import { requireProject, stackNotFound, storedData, type StackOutput } from './stack-common.js';

export { requireProject, stackNotFound, storedData, type StackOutput } from './stack-common.js';
import { HeatFault } from './errors.js';
import type { StackEngine } from './engine/engine.js';
import type { Operation } from './engine/operation.js';
import type { Prepared } from './engine/prepare.js';
import type { Stack, StackResource, StackStore } from './engine/stack-store.js';
import type { TypeRegistry } from './resources/registry.js';
import type { EngineServices } from './resources/types.js';
import { isUuid } from '../../util.js';
import { systemContext } from '../../context.js';
import { pyStr } from '../../http/pyrepr.js';
import { signalHandle } from './resources/heat/wait-signals.js';
import { isMap } from './template/pyvalue.js';
import { parametersForShow } from './template/index.js';
import {
  filterStacks,
  pageEvents,
  pageStacks,
  type EventListQuery,
  type StackListQuery,
} from './reads.js';
import { resourceAttributes, resourceDescription, resourceMatches } from './resource-reads.js';
import type { EventRow } from './views/event.view.js';
import type { ResourceShown } from './views/resource.view.js';

/**
 * The read half of OrchestrationService: stacks, resources, events and outputs (templates and
 * types are TemplateAnswers'), plus the resource-level calls (mark unhealthy, signal).
 * OrchestrationService extends it with everything that starts work on a stack.
 */
export class StackReads extends TemplateAnswers {
  constructor(
    protected readonly store: StackStore,
    readonly engine: StackEngine,
    types: TypeRegistry,
    readonly services: EngineServices,
  ) {
    super(types);
  }

  /** `stack list`: the caller's live top-level stacks, newest first. */
  async listStacks(ctx: RequestContext): Promise<Stack[]> {
    return this.store.list(requireProject(ctx));
  }

  /** `stack show`: the stack with its parameters as Heat prints them and its outputs. */
  async showStack(
    ctx: RequestContext,
    stack: Stack,
  ): Promise<{ stack: Stack; parameters: Record<string, string>; outputs: StackOutput[] }> {
    const def = await this.engine.definition(stack);
    return {
      stack,
      parameters: parametersForShow(def.template, def.parameters),
      outputs: await this.outputs(ctx, stack, def),
    };
  }

  async resources(ctx: RequestContext, stack: Stack): Promise<StackResource[]> {
    void ctx;
    return (await this.store.resources(stack.id)).filter((r) => r.current);
  }

  /** The stack's outputs, resolved against its resources as they are now (none: none read). */
  async outputs(ctx: RequestContext, stack: Stack, loaded?: Prepared): Promise<StackOutput[]> {
    void ctx;
    const definition = loaded ?? (await this.engine.definition(stack));
    if (definition.template.outputs.length === 0) return [];
    const op = await this.view(stack, definition);
    const out: StackOutput[] = [];
    for (const def of op.template.outputs) {
      try {
        out.push({
          key: def.name,
          description: def.description,
          value: await op.resolve(def.value),
          error: null,
        });
      } catch (err) {
        out.push({
          key: def.name,
          description: def.description,
          value: null,
          error: (err as Error).message,
        });
      }
    }
    return out;
  }

  /** A read-only operation over the stack as stored: for outputs and attributes. */
  private view(stack: Stack, def?: Prepared): Promise<Operation> {
    return this.engine.load(stack, stack.traversal, new AbortController().signal, undefined, def);
  }

  private readonly owners = new Map<string, string>();

  /** identify_stack for the lookup redirect: an id (deleted stacks too), then a live name. */
  async identifyStack(ctx: RequestContext, nameOrId: string): Promise<Stack> {
    const projectId = requireProject(ctx);
    let stack: Stack | undefined;
    if (isUuid(nameOrId)) stack = await this.store.get(nameOrId);
    if (stack && stack.projectId !== projectId && !ctx.isAdmin) stack = undefined;
    stack ??= await this.store.byName(projectId, nameOrId);
    if (!stack) throw stackNotFound(nameOrId);
    return stack;
  }

  /** `/stacks/{name}/{id}` (Heat's _get_stack): the id's stack, which must carry that name. */
  async stackAt(
    ctx: RequestContext,
    name: string,
    id: string,
    opts: { deleted: boolean } = { deleted: true },
  ): Promise<Stack> {
    requireProject(ctx);
    const stack = isUuid(id) ? await this.store.get(id) : undefined;
    const visible =
      stack !== undefined &&
      (stack.projectId === ctx.projectId || ctx.isAdmin) &&
      (opts.deleted || stack.deletedAt === null) &&
      stack.name === name;
    if (!visible) throw stackNotFound(name);
    return stack;
  }

  /** The stack owner's user name (`stack_owner`), or '' when the user is gone. */
  async ownerName(userId: string): Promise<string> {
    const known = this.owners.get(userId);
    if (known !== undefined) return known;
    let name = '';
    try {
      const user = await this.services.identity.getUser(systemContext('', userId), userId);
      name = user.name;
    } catch {
      // A deleted user: the stack stays listable.
    }
    this.owners.set(userId, name);
    return name;
  }

  /** `stack list`: filters, tags, sort, marker and limit; admins see every project's stacks. */
  async listStacksFiltered(
    ctx: RequestContext,
    q: StackListQuery,
    opts: { deleted: boolean; nested: boolean; global: boolean },
  ): Promise<{ stacks: Stack[]; count: number; withProject: boolean }> {
    const projectId = requireProject(ctx);
    // policy stacks:global_index: refused to project members (Heat refuses everybody).
    if (opts.global && !ctx.isAdmin) {
      throw new HeatFault('HTTPForbidden', 'Access was denied to this resource.', 403);
    }
    const all = await this.store.listFor(ctx.isAdmin ? null : projectId, opts);
    const kept = filterStacks(all, q);
    const marker = q.marker === null ? undefined : await this.store.get(q.marker);
    return { stacks: pageStacks(kept, q, marker), count: kept.length, withProject: ctx.isAdmin };
  }

  /** `stack show`: parameters as strings, outputs resolved unless not wanted or deleted. */
  async showStackWith(ctx: RequestContext, stack: Stack, resolveOutputs: boolean) {
    const def = await this.engine.definition(stack);
    const deleted = stack.action === 'DELETE' && stack.status === 'COMPLETE';
    return {
      // The loaded template: the view reads its description there, not parsing it again.
      template: def.template.raw,
      parameters: parametersForShow(def.template, def.parameters),
      outputs: deleted || !resolveOutputs ? null : await this.outputs(ctx, stack, def),
    };
  }

  /** `output show`: one output, resolved; unknown keys are Heat's NotFound. */
  async output(ctx: RequestContext, stack: Stack, key: string): Promise<StackOutput> {
    const found = (await this.outputs(ctx, stack)).find((o) => o.key === key);
    if (!found) throw new HeatFault('NotFound', `Specified output key ${key} not found.`);
    return found;
  }

  /** The output keys and descriptions only, without resolving values. */
  async outputKeys(ctx: RequestContext, stack: Stack): Promise<StackOutput[]> {
    void ctx;
    const { template } = await this.engine.definition(stack);
    return template.outputs.map((o) => ({
      key: o.name,
      description: o.description,
      value: null,
      error: null,
    }));
  }

  /** `resource list`: this stack's resources and, to `nestedDepth`, its nested stacks'. */
  async listResources(
    ctx: RequestContext,
    stack: Stack,
    opts: { nestedDepth: number; withDetail: boolean; filters: Map<string, string[]> },
  ): Promise<ResourceShown[]> {
    const out: ResourceShown[] = [];
    const walk = async (s: Stack, depth: number, parent: string | null): Promise<void> => {
      const shown = await this.resourcesShown(ctx, s, opts.withDetail ? [] : null, parent);
      for (const r of shown) {
        if (resourceMatches(r.resource, opts.filters)) out.push(r);
        if (r.nested && depth < opts.nestedDepth) await walk(r.nested, depth + 1, r.resource.name);
      }
    };
    await walk(stack, 0, null);
    return out;
  }

  /** `resource show` (by name): with its attributes, `with_attr` ones added. */
  async showResource(
    ctx: RequestContext,
    stack: Stack,
    name: string,
    withAttr: string[],
  ): Promise<ResourceShown> {
    const all = await this.resourcesShown(ctx, stack, withAttr, null, name);
    const found = all.find((r) => r.resource.name === name);
    if (!found) throw resourceNotFound(name, stack);
    return found;
  }

  async resourceMetadata(ctx: RequestContext, stack: Stack, name: string): Promise<unknown> {
    const row = (await this.resources(ctx, stack)).find((r) => r.name === name);
    if (!row) throw resourceNotFound(name, stack);
    return row.metadata ?? {};
  }

  /** PATCH a resource: mark it unhealthy (CHECK_FAILED) or clear that (CHECK_COMPLETE). */
  async markUnhealthy(
    ctx: RequestContext,
    stack: Stack,
    nameOrPhysicalId: string,
    mark: boolean,
    reason: string,
  ): Promise<void> {
    const rows = await this.resources(ctx, stack);
    const row =
      rows.find((r) => r.name === nameOrPhysicalId) ??
      rows.find((r) => r.physicalId === nameOrPhysicalId);
    if (!row) throw resourceNotFound(nameOrPhysicalId, stack);
    const why = reason || 'state changed by resource_mark_unhealthy api';
    // Heat: marking leaves a deleted resource alone; clearing only undoes CHECK_FAILED.
    if (mark && row.action === 'DELETE') return;
    if (!mark && !(row.action === 'CHECK' && row.status === 'FAILED')) return;
    const to = mark
      ? { action: 'CHECK' as const, status: 'FAILED' as const, reason: why }
      : { action: 'CHECK' as const, status: 'COMPLETE' as const, reason: why };
    if (!(await this.store.markUnhealthy(stack, row.id, to))) {
      throw new HeatFault(
        'ActionInProgress',
        `Stack ${stack.name} already has an action (${stack.action}) in progress.`,
      );
    }
  }

  /**
   * POST .../signal (Heat's resource_signal): refused during SUSPEND and DELETE, `unset_hook`
   * checked, then the type's handler: a wait condition handle records the signal; other types
   * have none (ResourceActionNotSupported).
   */
  async signalResource(
    ctx: RequestContext,
    stack: Stack,
    name: string,
    details: unknown,
  ): Promise<void> {
    const row = (await this.resources(ctx, stack)).find((r) => r.name === name);
    if (!row) throw resourceNotFound(name, stack);
    if (row.action === 'SUSPEND' || row.action === 'DELETE') {
      await this.store.addResourceEvent(stack, row, {
        action: row.action,
        status: row.status,
        reason: `Cannot signal resource during ${row.action}`,
      });
      throw new HeatFault('NotSupported', `Signal resource during ${row.action} is not supported.`);
    }
    if (isMap(details) && Object.hasOwn(details, 'unset_hook')) {
      const hook = pyStr(details.unset_hook);
      const what = `${row.type.split('::').pop()} "${row.name}" [${row.physicalId ?? 'None'}] Stack "${stack.name}" [${stack.id}]`;
      const valid = [
        'pre-create',
        'pre-update',
        'pre-delete',
        'post-create',
        'post-update',
        'post-delete',
      ];
      const text = valid.includes(hook)
        ? `The "${hook}" hook is not defined on ${what}`
        : `Invalid hook type "${hook}" for ${what}`;
      throw new HeatFault('InvalidBreakPointHook', text);
    }
    if (!SIGNALLED_TYPES.has(row.type)) {
      throw new HeatFault('ResourceActionNotSupported', 'signal is not supported for resource.');
    }
    let result: string;
    try {
      result = await signalHandle(storedData(this.store, row), details ?? null);
    } catch (err) {
      const e = err as Error;
      const type = err instanceof HeatFault ? err.type : 'Error';
      throw new HeatFault('ResourceFailure', `${type}: resources.${row.name}: ${e.message}`, 400);
    }
    await this.store.addResourceEvent(stack, row, {
      action: 'SIGNAL',
      status: row.status,
      reason: result ? `Signal: ${result}` : signalDetails(details),
    });
  }

  /** Events of the stack (and nested stacks to `nestedDepth`), filtered and paged. */
  async listEvents(
    ctx: RequestContext,
    stack: Stack,
    q: EventListQuery,
    nestedDepth: number | null,
  ): Promise<Array<{ stack: Stack; event: EventRow }>> {
    void ctx;
    const stacks = new Map<string, Stack>([[stack.id, stack]]);
    let level = [stack];
    for (let d = 0; d < (nestedDepth ?? 0) && level.length; d++) {
      const next: Stack[] = [];
      for (const s of level) next.push(...(await this.store.children(s.id)));
      for (const s of next) stacks.set(s.id, s);
      level = next;
    }
    const events = await this.store.eventsOf([...stacks.keys()]);
    return pageEvents(events, q).map((event) => ({ stack: stacks.get(event.stack_id)!, event }));
  }

  /** The resources of one stack as the API shows them, with required_by and nested links. */
  private async resourcesShown(
    ctx: RequestContext,
    stack: Stack,
    withAttr: string[] | null,
    parent: string | null,
    only?: string,
  ): Promise<ResourceShown[]> {
    const rows = (await this.resources(ctx, stack)).filter(
      (r) => only === undefined || r.name === only,
    );
    if (rows.length === 0) return [];
    const definition = await this.engine.definition(stack);
    const { template } = definition;
    // Attributes need an operation over the resources' rows; a plain list does not.
    const op = withAttr === null ? null : await this.view(stack, definition);
    const requiredBy = new Map<string, string[]>();
    for (const def of template.resources) {
      for (const req of def.requires)
        requiredBy.set(req, [...(requiredBy.get(req) ?? []), def.name]);
    }
    const children = await this.store.children(stack.id);
    const out: ResourceShown[] = [];
    for (const row of rows) {
      const def = template.resources.find((d) => d.name === row.name);
      out.push({
        stack,
        resource: row,
        requiredBy: requiredBy.get(row.name) ?? [],
        nested: children.find((c) => c.id === row.physicalId) ?? null,
        parentResource: parent,
        detail:
          withAttr === null
            ? null
            : {
                description: resourceDescription(def?.metadata, template.raw, row.name),
                attributes: await resourceAttributes(op!, row, withAttr, this.types),
              },
      });
    }
    return out;
  }
}

/** Types with a signal handler (handle_signal). */
const SIGNALLED_TYPES = new Set(['OS::Heat::WaitConditionHandle']);

/** get_string_details: what the event says when the handler returns nothing. */
function signalDetails(details: unknown): string {
  if (details === null || details === undefined) return 'No signal details provided';
  if (typeof details === 'string') return details;
  if (isMap(details) && ['previous', 'current', 'reason'].every((k) => Object.hasOwn(details, k))) {
    return `alarm state changed from ${pyStr(details.previous)} to ${pyStr(details.current)} (${pyStr(details.reason)})`;
  }
  return 'Unknown';
}

function resourceNotFound(name: string, stack: Stack): HeatFault {
  return new HeatFault(
    'ResourceNotFound',
    `The Resource (${name}) could not be found in Stack ${stack.name}.`,
    404,
  );
}
