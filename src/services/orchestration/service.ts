import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { RequestContext } from '../../context.js';
import type { Db } from '../../store/db.js';
import { isUuid } from '../../util.js';
import { systemContext } from '../../context.js';
import { pyStr } from '../../http/pyrepr.js';
import { signalHandle } from './resources/heat/wait-signals.js';
import { isMap } from './template/pyvalue.js';
import { entityNotFound, HeatFault } from './errors.js';
import { constraintChecker, type ConstraintCheck } from './engine/constraints.js';
import { inProgress, StackEngine } from './engine/engine.js';
import { abandonData, type AbandonedResource } from './engine/adopt.js';
import { previewCreate, previewUpdate } from './engine/preview.js';
import { SnapshotStore, type StackSnapshot } from './engine/snapshot-store.js';
import { deleteSnapshot, startRestore, startSnapshot } from './engine/snapshot-runs.js';
import type { Operation } from './engine/operation.js';
import { reasons } from './engine/stack-ops.js';
import {
  StackStore,
  type Stack,
  type StackDefinition,
  type StackResource,
} from './engine/stack-store.js';
import { TypeRegistry } from './resources/registry.js';
import { parametersForShow, type Environment } from './template/index.js';
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
import { validateView as validateResult } from './views/validate.view.js';
import type { EngineServices, ResourceData, ResourceType } from './resources/types.js';
import { heatTypes, type WaitConditionHooks } from './resources/heat/index.js';
import { SoftwareConfigs } from './software-configs.js';
import { SoftwareDeployments } from './software-deployments.js';

export type { Stack, StackResource } from './engine/stack-store.js';
export type { StackSnapshot } from './engine/snapshot-store.js';

/** What `stack create` gives, already parsed from the wire. */
export interface StackCreateInput {
  name: string;
  template: Record<string, unknown>;
  environment: Record<string, unknown>;
  files: Record<string, string>;
  parameters: Record<string, unknown>;
  disableRollback: boolean;
  timeoutMins: number | null;
  tags: string[] | null;
  /** `stack adopt`: the abandoned stack's resources, which the new stack takes over. */
  adopt?: Record<string, AbandonedResource>;
}

/** What POST /stacks/preview shows. */
export interface StackPreview {
  stack: Stack;
  parameters: Record<string, string>;
  resources: Record<string, unknown>[];
}

export type StackActionName =
  'suspend' | 'resume' | 'check' | 'cancel_update' | 'cancel_without_rollback';

/** What `stack update` gives; absent members keep the stack's own (PATCH) or defaults (PUT). */
export interface StackUpdateInput {
  existing: boolean;
  template?: Record<string, unknown>;
  environment?: Record<string, unknown>;
  files?: Record<string, string>;
  parameters?: Record<string, unknown>;
  clearParameters: string[];
  disableRollback?: boolean;
  timeoutMins?: number | null;
  tags?: string[] | null;
}

/** A PUT: the definition given, nothing kept from the stack's. */
function replaced(input: StackUpdateInput): StackDefinition {
  if (!input.template) throw new HeatFault('HTTPBadRequest', 'No template specified', 400);
  return {
    template: input.template,
    environment: input.environment ?? {},
    files: input.files ?? {},
    parameters: input.parameters ?? {},
  };
}

/** A PATCH: the stack's definition with what is given laid over it. */
function patched(stack: Stack, input: StackUpdateInput): StackDefinition {
  const parameters: Record<string, unknown> = { ...stack.parameters, ...input.parameters };
  for (const name of input.clearParameters) delete parameters[name];
  const env = { ...stack.environment, ...input.environment };
  const envParams = {
    ...(stack.environment.parameters as object),
    ...(input.environment?.parameters as object),
  };
  for (const name of input.clearParameters) delete (envParams as Record<string, unknown>)[name];
  return {
    template: input.template ?? stack.template,
    environment: { ...env, parameters: envParams },
    files: { ...stack.files, ...input.files },
    parameters,
  };
}

/** An output as `stack show` and `output show` give it. */
export interface StackOutput {
  key: string;
  description: string | null;
  value: unknown;
  error: string | null;
}

export interface OrchestrationOptions {
  region: string;
  types: ResourceType[][];
  constraints: ReadonlyMap<string, ConstraintCheck>[];
  log: FastifyBaseLogger;
}

/**
 * Heat behind one boundary: stacks and everything about them. The engine does the work in
 * the background with the stack owner's rights; these methods check, record and answer.
 */
export class OrchestrationService {
  private readonly store: StackStore;
  private readonly snapshots: SnapshotStore;
  readonly engine: StackEngine;
  readonly types: TypeRegistry;
  /** /software_configs, and what OS::Heat::SoftwareConfig and its kin store. */
  readonly softwareConfigs: SoftwareConfigs;
  /** /software_deployments. */
  readonly softwareDeployments: SoftwareDeployments;

  constructor(
    db: Db,
    readonly services: EngineServices,
    opts: OrchestrationOptions,
  ) {
    this.store = new StackStore(db);
    this.snapshots = new SnapshotStore(db);
    this.softwareConfigs = new SoftwareConfigs(db);
    this.softwareDeployments = new SoftwareDeployments(db, this.softwareConfigs);
    const store = this.store;
    const hooks: WaitConditionHooks = {
      // Read afresh at every poll: signals arrive through the API into the handle's data.
      async resourceByRef(rc, ref) {
        const rows = (await store.resources(rc.stack.id)).filter((r) => r.current);
        const row = rows.find((r) => r.physicalId === ref) ?? rows.find((r) => r.name === ref);
        if (!row) return null;
        return { name: row.name, type: row.type, data: storedData(store, row) };
      },
    };
    this.types = new TypeRegistry([...opts.types, heatTypes(this.softwareConfigs, hooks)]);
    this.engine = new StackEngine(
      {
        store: this.store,
        services,
        types: this.types,
        constraints: constraintChecker(opts.constraints),
        region: opts.region,
      },
      opts.log,
    );
  }

  /** Ends the operations a crash interrupted (Heat's reset_stack_status). */
  async recover(): Promise<void> {
    await this.engine.recover();
    await this.snapshots.failInterrupted('Engine went down during stack SNAPSHOT');
  }

  /** POST /stacks: checked in full first (400s), then created in the background (201). */
  async createStack(ctx: RequestContext, input: StackCreateInput): Promise<Stack> {
    const projectId = requireProject(ctx);
    const id = randomUUID();
    const check = this.parameterCheck(ctx);
    await this.engine.prepare(input, { stackId: id, stackName: input.name, projectId }, check);
    const action = input.adopt ? 'ADOPT' : 'CREATE';
    const stack = await this.store.insert(
      {
        ...input,
        id,
        projectId,
        userId: ctx.userId,
        roles: ctx.roles,
        ownerId: null,
        nestedDepth: 0,
      },
      { action, status: 'IN_PROGRESS', reason: reasons.started(action) },
    );
    if (input.adopt) this.engine.startAdopt(stack, input.adopt);
    else this.engine.startCreate(stack);
    return stack;
  }

  /** POST /stacks/preview: checked as a create is, then shown as it would be; nothing made. */
  async previewStack(ctx: RequestContext, input: StackCreateInput): Promise<StackPreview> {
    const projectId = requireProject(ctx);
    const pseudo = { stackId: 'None', stackName: input.name, projectId };
    const prepared = await this.engine.prepare(input, pseudo, this.parameterCheck(ctx));
    const stack = this.unsaved(ctx, input, 'None');
    const { resources, parameters } = await previewCreate(this.engine, stack);
    return { stack, resources, parameters: parametersForShow(prepared.template, parameters) };
  }

  /** PUT|PATCH .../preview: what the update would add, delete, replace, update or leave. */
  async previewUpdate(
    ctx: RequestContext,
    stack: Stack,
    input: StackUpdateInput,
  ): Promise<Record<string, Record<string, unknown>[]>> {
    const next = input.existing ? patched(stack, input) : replaced(input);
    await this.engine.prepare(
      next,
      { stackId: stack.id, stackName: stack.name, projectId: stack.projectId },
      this.parameterCheck(ctx),
    );
    return previewUpdate(this.engine, stack, next);
  }

  /**
   * DELETE .../abandon: the stack leaves Heat, its resources stay where they are; the answer
   * is what `stack adopt` needs to take them back.
   */
  async abandonStack(ctx: RequestContext, stack: Stack): Promise<Record<string, unknown>> {
    void ctx;
    if (stack.status === 'IN_PROGRESS') throw inProgress(stack);
    const op = await this.engine.load(stack, stack.traversal, new AbortController().signal);
    const data = abandonData(op);
    await this.store.abandon(stack);
    return data;
  }

  /** A stack object for what is not stored (a preview). */
  private unsaved(ctx: RequestContext, input: StackCreateInput, id: string): Stack {
    return {
      ...input,
      id,
      projectId: ctx.projectId!,
      userId: ctx.userId,
      roles: ctx.roles,
      ownerId: null,
      nestedDepth: 0,
      action: 'INIT',
      status: 'COMPLETE',
      statusReason: '',
      previous: null,
      traversal: 0,
      createdAt: '',
      updatedAt: null,
      deletedAt: null,
    };
  }

  /**
   * A stack by name or id in the caller's project (Heat's identify_stack): an id is looked up
   * as an id first, a name among live stacks.
   */
  async findStack(ctx: RequestContext, nameOrId: string): Promise<Stack> {
    const projectId = requireProject(ctx);
    let stack: Stack | undefined;
    if (isUuid(nameOrId)) stack = await this.store.get(nameOrId);
    if (stack && (stack.projectId !== projectId || stack.deletedAt !== null)) stack = undefined;
    stack ??= await this.store.byName(projectId, nameOrId);
    if (!stack) throw stackNotFound(nameOrId);
    return stack;
  }

  /** GET /stacks/{name}/{id}: both must name the same stack. */
  async getStack(ctx: RequestContext, name: string, id: string): Promise<Stack> {
    const stack = await this.findStack(ctx, id);
    if (stack.name !== name && stack.id !== name) throw stackNotFound(name);
    return stack;
  }

  /**
   * PUT (replace the definition) or PATCH (`existing`: what is not given is kept, parameters
   * merged and `clearParameters` dropped): checked in full, then the stack is already
   * UPDATE_IN_PROGRESS when the 202 goes out.
   */
  async updateStack(ctx: RequestContext, stack: Stack, input: StackUpdateInput): Promise<void> {
    if (stack.action === 'SUSPEND' && stack.status === 'COMPLETE') {
      throw new HeatFault(
        'NotSupported',
        'Updating a stack when it is suspended is not supported.',
      );
    }
    if (stack.action === 'DELETE' && stack.status === 'IN_PROGRESS') {
      throw new HeatFault('NotSupported', 'Updating a stack when it is deleting is not supported.');
    }
    if (input.existing && stack.status !== 'COMPLETE') {
      throw new HeatFault('NotSupported', 'PATCH update to non-COMPLETE stack is not supported.');
    }
    const next = input.existing ? patched(stack, input) : replaced(input);
    await this.engine.prepare(
      next,
      { stackId: stack.id, stackName: stack.name, projectId: stack.projectId },
      this.parameterCheck(ctx),
    );
    await this.engine.startUpdate(stack, {
      ...next,
      disableRollback: input.disableRollback ?? stack.disableRollback,
      timeoutMins: input.timeoutMins === undefined ? stack.timeoutMins : input.timeoutMins,
      tags: input.tags === undefined ? stack.tags : input.tags,
    });
  }

  /** POST .../actions: suspend, resume, check, cancel_update or cancel_without_rollback. */
  async stackAction(ctx: RequestContext, stack: Stack, action: StackActionName): Promise<void> {
    void ctx;
    if (action === 'cancel_update' || action === 'cancel_without_rollback') {
      const running = stack.status === 'IN_PROGRESS';
      const allowed =
        running &&
        (stack.action === 'UPDATE' ||
          (action === 'cancel_without_rollback' && stack.action === 'CREATE'));
      if (!allowed) {
        throw new HeatFault(
          'NotSupported',
          `Cancelling update when stack is ${stack.action}_${stack.status} is not supported.`,
        );
      }
      return this.engine.cancel(stack, action === 'cancel_update');
    }
    const upper = { suspend: 'SUSPEND', resume: 'RESUME', check: 'CHECK' } as const;
    await this.engine.startAction(stack, upper[action]);
  }

  /** POST .../snapshots: 200 with the snapshot IN_PROGRESS; 409 while another operation runs. */
  async createSnapshot(
    ctx: RequestContext,
    stack: Stack,
    name: string | null,
  ): Promise<StackSnapshot> {
    void ctx;
    if (stack.status === 'IN_PROGRESS') throw inProgress(stack);
    const snapshot = await this.snapshots.insert(randomUUID(), stack.id, stack.projectId, name);
    await startSnapshot(this.engine, this.snapshots, stack, snapshot);
    return snapshot;
  }

  async listSnapshots(ctx: RequestContext, stack: Stack): Promise<StackSnapshot[]> {
    void ctx;
    return this.snapshots.list(stack.id);
  }

  /** A snapshot of this stack: Heat tells an unknown id from another stack's. */
  async getSnapshot(ctx: RequestContext, stack: Stack, id: string): Promise<StackSnapshot> {
    void ctx;
    const snapshot = await this.snapshots.get(id);
    if (!snapshot || snapshot.projectId !== stack.projectId) {
      throw new HeatFault('NotFound', `Snapshot with id ${id} not found`, 404);
    }
    if (snapshot.stackId !== stack.id) {
      throw new HeatFault(
        'SnapshotNotFound',
        `The Snapshot (${id}) for Stack (${stack.name}) could not be found.`,
        404,
      );
    }
    return snapshot;
  }

  async deleteSnapshot(ctx: RequestContext, stack: Stack, id: string): Promise<void> {
    const snapshot = await this.getSnapshot(ctx, stack, id);
    if (snapshot.status === 'IN_PROGRESS') {
      throw new HeatFault('NotSupported', 'Deleting in-progress snapshot is not supported.');
    }
    await deleteSnapshot(this.engine, this.snapshots, stack, snapshot);
  }

  /** POST .../snapshots/{id}/restore: 202, the stack RESTORE_IN_PROGRESS. */
  async restoreSnapshot(ctx: RequestContext, stack: Stack, id: string): Promise<void> {
    const snapshot = await this.getSnapshot(ctx, stack, id);
    if (snapshot.status !== 'COMPLETE' || !snapshot.data) {
      throw new HeatFault(
        'NotSupported',
        `Restoring from a snapshot in ${snapshot.status} status is not supported.`,
      );
    }
    await startRestore(this.engine, stack, snapshot);
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
    const op = await this.view(stack);
    return {
      stack,
      parameters: parametersForShow(op.template, op.parameters),
      outputs: await this.outputs(ctx, stack),
    };
  }

  /** DELETE: 204 at once; the stack goes DELETE_IN_PROGRESS and then away. */
  async deleteStack(ctx: RequestContext, stack: Stack): Promise<void> {
    void ctx;
    await this.engine.startDelete(stack);
  }

  async resources(ctx: RequestContext, stack: Stack): Promise<StackResource[]> {
    void ctx;
    return (await this.store.resources(stack.id)).filter((r) => r.current);
  }

  /** The stack's outputs, resolved against its resources as they are now. */
  async outputs(ctx: RequestContext, stack: Stack): Promise<StackOutput[]> {
    void ctx;
    const op = await this.view(stack);
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
  private view(stack: Stack): Promise<Operation> {
    return this.engine.load(stack, stack.traversal, new AbortController().signal);
  }

  /** Custom constraints of parameters, checked with the caller's rights. */
  private parameterCheck(ctx: RequestContext) {
    const checker = this.engine.deps.constraints;
    const rc = {
      ctx,
      services: this.services,
      stack: { id: '', name: '', projectId: ctx.projectId ?? '' },
      resourceName: '',
      physicalName: () => '',
      data: { get: () => undefined, set: () => Promise.resolve(), all: () => ({}) },
      signal: new AbortController().signal,
    };
    return (name: string, value: unknown) => checker(name, value, rc);
  }

  // Reads and the API's other answers

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
  async showStackWith(
    ctx: RequestContext,
    stack: Stack,
    resolveOutputs: boolean,
  ): Promise<{ parameters: Record<string, string>; outputs: StackOutput[] | null }> {
    const op = await this.view(stack);
    const deleted = stack.action === 'DELETE' && stack.status === 'COMPLETE';
    return {
      parameters: parametersForShow(op.template, op.parameters),
      outputs: deleted || !resolveOutputs ? null : await this.outputs(ctx, stack),
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
    const op = await this.view(stack);
    return op.template.outputs.map((o) => ({
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

  /** `POST /validate`: the template's description, parameters, groups and environment. */
  async validateTemplate(
    ctx: RequestContext,
    input: {
      template: Record<string, unknown>;
      environment: Environment;
      files: Record<string, string>;
      parameters: Record<string, unknown>;
      showNested: boolean;
    },
  ): Promise<Record<string, unknown>> {
    void ctx;
    // Heat's Stack.validate checks user parameters against the template (UnknownUserParameter
    // escapes validate_template's StackValidationFailed handler, so it keeps its own type).
    const section = input.template.parameters ?? input.template.Parameters;
    const declared = new Set(
      section !== null && typeof section === 'object' ? Object.keys(section) : [],
    );
    for (const k of [
      ...Object.keys(input.environment.parameters),
      ...Object.keys(input.parameters),
    ]) {
      if (!declared.has(k)) {
        throw new HeatFault(
          'UnknownUserParameter',
          `The Parameter (${k}) was not defined in template.`,
        );
      }
    }
    try {
      return validateResult(input, (type) => this.types.get(type) !== undefined);
    } catch (err) {
      // The engine answers {'Error': str(ex)} and the API turns it into a 400.
      if (err instanceof HeatFault) throw new HeatFault('HTTPBadRequest', err.message, 400);
      throw err;
    }
  }

  /** `resource type list`: names, or names with descriptions, after Heat's filters. */
  listResourceTypes(filters: {
    name: string | null;
    version: string | null;
    supportStatus: string | null;
  }): ResourceType[] {
    let pattern: RegExp | null = null;
    if (filters.name !== null) {
      try {
        pattern = new RegExp(filters.name);
      } catch {
        pattern = null;
      }
    }
    return this.types.all().filter((t) => {
      const status = t.supportStatus?.status ?? 'SUPPORTED';
      if (status === 'HIDDEN' && filters.supportStatus !== 'HIDDEN') return false;
      if (filters.supportStatus !== null && status !== filters.supportStatus) return false;
      if (filters.version !== null && (t.supportStatus?.version ?? null) !== filters.version)
        return false;
      if (filters.name !== null) {
        // Heat matches the name as a regular expression (re.match), falling back to equality.
        if (
          pattern ? !pattern.test(t.type) || t.type.search(pattern) !== 0 : t.type !== filters.name
        )
          return false;
      }
      return true;
    });
  }

  resourceType(name: string): ResourceType {
    const t = this.types.get(name);
    if (!t || t.supportStatus?.status === 'HIDDEN') throw entityNotFound('Resource Type', name);
    return t;
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
    const op = await this.view(stack);
    const requiredBy = new Map<string, string[]>();
    for (const def of op.template.resources) {
      for (const req of def.requires)
        requiredBy.set(req, [...(requiredBy.get(req) ?? []), def.name]);
    }
    const children = await this.store.children(stack.id);
    const out: ResourceShown[] = [];
    for (const row of rows) {
      const def = op.template.resources.find((d) => d.name === row.name);
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
                description: resourceDescription(def?.metadata, op.template.raw, row.name),
                attributes: await resourceAttributes(op, row, withAttr, this.types),
              },
      });
    }
    return out;
  }
}

/** A resource's data as a ResourceData, written through to its row. */
function storedData(store: StackStore, row: StackResource): ResourceData {
  return {
    get: (key) => (Object.hasOwn(row.data, key) ? row.data[key] : undefined),
    set: async (key, value) => {
      row.data = { ...row.data, [key]: value };
      await store.setData(row.id, row.data);
    },
    all: () => ({ ...row.data }),
  };
}

function requireProject(ctx: RequestContext): string {
  if (!ctx.projectId)
    throw new HeatFault('Forbidden', 'You are not authorized to complete this action.', 403);
  return ctx.projectId;
}

export function stackNotFound(name: string): HeatFault {
  return new HeatFault('EntityNotFound', `The Stack (${name}) could not be found.`, 404);
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
