import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { RequestContext } from '../../context.js';
import type { Db } from '../../store/db.js';
import { isUuid } from '../../util.js';
import { HeatFault } from './errors.js';
import { constraintChecker, type ConstraintCheck } from './engine/constraints.js';
import { inProgress, StackEngine } from './engine/engine.js';
import { abandonData, type AbandonedResource } from './engine/adopt.js';
import { previewCreate, previewUpdate, type PreviewItem } from './engine/preview.js';
import { SnapshotStore, type StackSnapshot } from './engine/snapshot-store.js';
import { deleteSnapshot, startRestore, startSnapshot } from './engine/snapshot-runs.js';
import { reasons } from './engine/stack-ops.js';
import { StackStore, type Stack, type StackDefinition } from './engine/stack-store.js';
import { TypeRegistry } from './resources/registry.js';
import { requireProject, stackNotFound, StackReads, storedData } from './stack-reads.js';
import { parametersForShow } from './template/index.js';
import type { EngineServices, ResourceType } from './resources/types.js';
import { heatTypes, type WaitConditionHooks } from './resources/heat/index.js';
import { SoftwareConfigs } from './software-configs.js';
import { SoftwareDeployments } from './software-deployments.js';

export type { Stack, StackResource } from './engine/stack-store.js';
export { stackNotFound, type StackOutput } from './stack-reads.js';
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
  resources: PreviewItem[];
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
export class OrchestrationService extends StackReads {
  private readonly snapshots: SnapshotStore;
  /** /software_configs, and what OS::Heat::SoftwareConfig and its kin store. */
  readonly softwareConfigs: SoftwareConfigs;
  /** /software_deployments. */
  readonly softwareDeployments: SoftwareDeployments;

  constructor(db: Db, services: EngineServices, opts: OrchestrationOptions) {
    const store = new StackStore(db);
    const softwareConfigs = new SoftwareConfigs(db);
    const hooks: WaitConditionHooks = {
      // Read afresh at every poll: signals arrive through the API into the handle's data.
      async resourceByRef(rc, ref) {
        const rows = (await store.resources(rc.stack.id)).filter((r) => r.current);
        const row = rows.find((r) => r.physicalId === ref) ?? rows.find((r) => r.name === ref);
        if (!row) return null;
        return { name: row.name, type: row.type, data: storedData(store, row) };
      },
    };
    const types = new TypeRegistry([...opts.types, heatTypes(softwareConfigs, hooks)]);
    const engine = new StackEngine(
      {
        store,
        services,
        types,
        constraints: constraintChecker(opts.constraints),
        region: opts.region,
      },
      opts.log,
    );
    super(store, engine, types, services);
    this.snapshots = new SnapshotStore(db);
    this.softwareConfigs = softwareConfigs;
    this.softwareDeployments = new SoftwareDeployments(db, softwareConfigs);
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
    const pseudo = { stackId: id, stackName: input.name, projectId };
    const prepared = await this.engine.prepare(input, pseudo, check);
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
    else this.engine.startCreate(stack, prepared);
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

  /** DELETE: 204 at once; the stack goes DELETE_IN_PROGRESS and then away. */
  async deleteStack(ctx: RequestContext, stack: Stack): Promise<void> {
    void ctx;
    await this.engine.startDelete(stack);
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
}
