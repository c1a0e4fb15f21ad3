import assert from 'node:assert/strict';
import { userContext } from '../../src/context.js';
import { NO_QUERY } from '../../src/services/network/listing.js';
import { NEUTRON_TYPES } from '../../src/services/orchestration/resources/neutron/index.js';
import type {
  Props,
  ResourceContext,
  ResourceType,
} from '../../src/services/orchestration/resources/types.js';
import type { AppFixture } from '../helpers/app.js';

/** What the Heat Neutron type tests share: a resource context of demo's, and the engine's steps. */

export /** The demo user's own context, as the engine gives a stack of demo's. */
async function demoRc(fixture: AppFixture, resourceName: string): Promise<ResourceContext> {
  const token = fixture.demo['x-auth-token']!;
  const res = await fixture.t.inject({
    method: 'GET',
    url: '/identity/v3/auth/tokens',
    headers: { ...fixture.demo, 'x-subject-token': token },
  });
  const userId = (res.json() as { token: { user: { id: string } } }).token.user.id;
  const data = new Map<string, string>();
  const app = fixture.t.app;
  return {
    ctx: userContext(fixture.demoProject, userId, ['member', 'reader']),
    services: {
      identity: app.identity,
      images: app.images,
      volumes: app.volumes,
      network: app.network,
      compute: app.compute,
    },
    stack: { id: 'stack-id', name: 'st', projectId: fixture.demoProject },
    resourceName,
    physicalName: () => `st-${resourceName}-abcdefghijkl`,
    data: {
      get: (k) => data.get(k),
      set: (k, v) => Promise.resolve(void data.set(k, v)),
      all: () => Object.fromEntries(data),
    },
    signal: new AbortController().signal,
  };
}

export function typeOf(name: string): ResourceType {
  const found = NEUTRON_TYPES.find((t) => t.type === name);
  assert.ok(found, name);
  return found;
}

/** Properties as the engine hands them over: every property, defaults filled, unset null. */
export function props(type: ResourceType, given: Props): Props {
  const out: Props = {};
  for (const [k, s] of Object.entries(type.properties)) out[k] = s.default ?? null;
  return { ...out, ...given };
}

/** Creates through the type and waits as the engine would. */
export async function make(type: ResourceType, rc: ResourceContext, p: Props): Promise<string> {
  await type.validate?.(rc, p);
  const id = await type.create(rc, p);
  assert.ok(id);
  if (type.checkCreateComplete) assert.equal(await type.checkCreateComplete(rc, id, p), true);
  return id;
}

export async function deleteTwice(type: ResourceType, rc: ResourceContext, id: string, p: Props) {
  await type.delete(rc, id, p);
  await type.delete(rc, id, p);
}

export const NET = typeOf('OS::Neutron::Net');
export const SUBNET = typeOf('OS::Neutron::Subnet');
export const PORT = typeOf('OS::Neutron::Port');
export const ROUTER = typeOf('OS::Neutron::Router');
export const RI = typeOf('OS::Neutron::RouterInterface');
export const RG = typeOf('OS::Neutron::RouterGateway');
export const SG = typeOf('OS::Neutron::SecurityGroup');
export const SGR = typeOf('OS::Neutron::SecurityGroupRule');
export const FIP = typeOf('OS::Neutron::FloatingIP');
export const FIPA = typeOf('OS::Neutron::FloatingIPAssociation');

/** The id of a network the caller sees by name. */
export async function networkNamed(fixture: AppFixture, name: string): Promise<string> {
  const rc = await demoRc(fixture, 'lookup');
  const query = { ...NO_QUERY, filters: new Map([['name', [name]]]) };
  return (await fixture.t.app.network.networks.list(rc.ctx, query)).rows[0]!.id;
}
