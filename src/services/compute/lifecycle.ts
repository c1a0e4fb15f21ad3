import type { RequestContext } from '../../context.js';
import type { TaskScope } from '../../tasks/runner.js';
import type { Db } from '../../store/db.js';
import { createBackup, failBackup, runBackup, type BackupInput } from './server-backup.js';
import type { LifecycleDeps, LifecyclePayload } from './server-lifecycle.js';
import {
  changePassword,
  checkForceDelete,
  failMiscAction,
  rescue,
  resetState,
  restore,
  unrescue,
  runMiscAction,
  triggerCrashDump,
} from './server-misc-actions.js';
import { rebuild, runRebuild, type RebuildInput } from './server-rebuild.js';
import { failResize, resize, runResize } from './server-resize.js';
import { confirmResize, revertResize, runRevertResize } from './server-resize-settle.js';
import {
  failShelve,
  runShelve,
  runShelveOffload,
  runUnshelve,
  shelve,
  shelveOffload,
  unshelve,
} from './server-shelve.js';
import type { Server } from './server-model.js';

/**
 * Server actions beyond power, lock and createImage: shelve, rebuild, resize, backups and the
 * admin actions. Each starts in one transaction and runs as a `server.lifecycle` task queued on
 * the server, so it waits its turn behind whatever the server is doing.
 */
export class Lifecycle {
  constructor(
    private readonly d: LifecycleDeps,
    /** DELETE /servers/{id}, for forceDelete. */
    private readonly remove: (ctx: RequestContext, id: string) => Promise<void>,
  ) {}

  shelve = (ctx: RequestContext, id: string): Promise<void> => shelve(this.d, ctx, id);
  shelveOffload = (ctx: RequestContext, id: string): Promise<void> =>
    shelveOffload(this.d, ctx, id);
  unshelve = (ctx: RequestContext, id: string, placement: boolean): Promise<void> =>
    unshelve(this.d, ctx, id, placement);
  rebuild = (
    ctx: RequestContext,
    id: string,
    input: RebuildInput,
  ): Promise<{ server: Server; adminPass: string }> => rebuild(this.d, ctx, id, input);
  resize = (ctx: RequestContext, id: string, flavorRef: string): Promise<void> =>
    resize(this.d, ctx, id, flavorRef);
  confirmResize = (ctx: RequestContext, id: string): Promise<void> =>
    confirmResize(this.d, ctx, id);
  revertResize = (ctx: RequestContext, id: string): Promise<void> => revertResize(this.d, ctx, id);
  createBackup = (ctx: RequestContext, id: string, input: BackupInput): Promise<string> =>
    createBackup(this.d, ctx, id, input);
  resetState = (ctx: RequestContext, id: string, state: 'active' | 'error'): Promise<void> =>
    resetState(this.d, ctx, id, state);
  changePassword = (ctx: RequestContext, id: string): Promise<void> =>
    changePassword(this.d, ctx, id);
  triggerCrashDump = (ctx: RequestContext, id: string): Promise<void> =>
    triggerCrashDump(this.d, ctx, id);
  rescue = (ctx: RequestContext, id: string): Promise<void> => rescue(this.d, ctx, id);
  unrescue = (ctx: RequestContext, id: string): Promise<void> => unrescue(this.d, ctx, id);
  restore = (ctx: RequestContext, id: string): Promise<void> => restore(this.d, ctx, id);

  async forceDelete(ctx: RequestContext, id: string): Promise<void> {
    await checkForceDelete(this.d, ctx, id);
    await this.remove(ctx, id);
  }
}

const rolesOf = (p: { roles?: unknown }): string[] =>
  Array.isArray(p.roles) ? p.roles.filter((r): r is string => typeof r === 'string') : [];

/** The `server.lifecycle` task: dispatched on the payload's action. */
export function lifecycleHandler(
  d: LifecycleDeps,
  scope: (ex: Db, id: string) => Promise<TaskScope>,
) {
  return {
    scope,
    async run(id: string, p: LifecyclePayload): Promise<void> {
      const roles = rolesOf(p);
      switch (p.action) {
        case 'shelve':
          return runShelve(d, id, typeof p.imageId === 'string' ? p.imageId : null, roles);
        case 'shelveOffload':
          return runShelveOffload(d, id);
        case 'unshelve':
          return runUnshelve(d, id, roles);
        case 'rebuild':
          return runRebuild(d, id, roles);
        case 'resize':
          return runResize(d, id, roles);
        case 'revertResize':
          return runRevertResize(d, id, roles);
        case 'createBackup':
          return runBackup(
            d,
            id,
            String(p.imageId),
            String(p.backupType),
            Number(p.rotation ?? 0),
            roles,
          );
        default:
          return runMiscAction(d, id, p.action, roles);
      }
    },
    async fail(id: string, p: LifecyclePayload): Promise<void> {
      const roles = rolesOf(p);
      switch (p.action) {
        case 'resize':
        case 'revertResize':
          return failResize(d, id);
        case 'createBackup':
          return failBackup(d, id, String(p.imageId), roles);
        case 'rebuild':
        case 'changePassword':
        case 'trigger_crash_dump':
        case 'rescue':
        case 'unrescue':
          return failMiscAction(d, id, p.action);
        default:
          // Whatever the action held goes back to nothing under way (reverts_task_state).
          return failShelve(d, id, p.imageId, roles);
      }
    },
  };
}
