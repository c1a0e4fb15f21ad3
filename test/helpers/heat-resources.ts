import { userContext } from '../../src/context.js';
import type {
  EngineServices,
  Props,
  ResourceContext,
  ResourceData,
  ResourceType,
} from '../../src/services/orchestration/resources/types.js';

/** Resource data in memory, as the engine keeps it per resource. */
export function memoryData(): ResourceData & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return {
    map,
    get: (key) => map.get(key),
    set: async (key, value) => {
      map.set(key, value);
    },
    all: () => Object.fromEntries(map),
  };
}

/** Only what Heat's own types read of the services: the identity endpoint and region. */
const services = {
  identity: { baseUrl: () => 'http://cloud:8080', region: 'RegionOne' },
} as unknown as EngineServices;

export function resourceContext(
  resourceName: string,
  extra: Partial<ResourceContext> = {},
): ResourceContext & { abort: AbortController } {
  const abort = new AbortController();
  return {
    ctx: userContext('p-demo', 'u-demo', ['member']),
    services,
    stack: { id: 'stack-id', name: 'st', projectId: 'p-demo' },
    resourceName,
    physicalName: () => `st-${resourceName}-abcdefghijkl`,
    data: memoryData(),
    signal: abort.signal,
    abort,
    ...extra,
  };
}

/** The top-level defaults the engine fills before a step sees the properties. */
export function withDefaults(type: ResourceType, props: Props): Props {
  const out: Props = {};
  for (const [key, schema] of Object.entries(type.properties)) {
    out[key] = Object.hasOwn(props, key) ? props[key] : (schema.default ?? null);
  }
  return out;
}
