import { setTimeout as sleep } from 'node:timers/promises';
import { userContext } from '../../src/context.js';
import type {
  Props,
  ResourceContext,
  ResourceType,
} from '../../src/services/orchestration/resources/types.js';
import type { AppFixture } from '../helpers/app.js';

/**
 * What the engine gives a resource type, made by hand: the demo member's context, the app's
 * services, a fixed physical name and in-memory resource data; and the engine's loops.
 */
export function heatKit(fx: AppFixture) {
  async function rc(resourceName = 'res', roles = ['member']): Promise<ResourceContext> {
    const identity = fx.t.app.identity;
    const user = await identity.userByName(roles.includes('admin') ? 'admin' : 'demo', 'default');
    const project = roles.includes('admin') ? fx.adminProject : fx.demoProject;
    const data = new Map<string, string>();
    const app = fx.t.app;
    return {
      ctx: userContext(project, user.id, roles),
      services: {
        identity: app.identity,
        images: app.images,
        volumes: app.volumes,
        network: app.network,
        compute: app.compute,
      },
      stack: { id: 'stack-id', name: 'st', projectId: project },
      resourceName,
      physicalName: () => `st-${resourceName}-abcdefghijkl`,
      data: {
        get: (k) => data.get(k),
        set: async (k, v) => void data.set(k, v),
        all: () => Object.fromEntries(data),
      },
      signal: new AbortController().signal,
    };
  }

  async function poll(what: string, probe: () => Promise<boolean>): Promise<void> {
    for (let i = 0; i < 1000; i++) {
      if (await probe()) return;
      await sleep(20);
    }
    throw new Error(`timed out: ${what}`);
  }

  /** validate, create, then checkCreateComplete until true. */
  async function create(t: ResourceType, r: ResourceContext, props: Props): Promise<string> {
    await t.validate?.(r, props);
    const id = await t.create(r, props);
    if (id === null) throw new Error('no physical id');
    if (t.checkCreateComplete) await poll('create', () => t.checkCreateComplete!(r, id, props));
    return id;
  }

  async function remove(t: ResourceType, r: ResourceContext, id: string, props: Props) {
    await t.delete(r, id, props);
    if (t.checkDeleteComplete) await poll('delete', () => t.checkDeleteComplete!(r, id));
  }

  /** The text a failing step threw. */
  async function failure(p: Promise<unknown>): Promise<{ type: string; message: string }> {
    try {
      await p;
    } catch (err) {
      return { type: (err as { type?: string }).type ?? '', message: (err as Error).message };
    }
    throw new Error('expected a failure');
  }

  return { rc, poll, create, remove, failure };
}
