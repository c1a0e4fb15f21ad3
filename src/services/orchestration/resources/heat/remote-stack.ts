/**
 * OS::Heat::Stack (heat/engine/resources/openstack/heat/remote_stack.py): a stack made from a
 * template string, in a region. Heat makes it through the Heat API of that region; here the
 * only region is this cloud's, so it is a child stack, and any other region fails as Heat
 * fails when the catalog has no orchestration endpoint there.
 */
import { HeatFault } from '../../errors.js';
import { parseTemplateText, Template } from '../../template/index.js';
import type { Props, ResourceContext, ResourceType } from '../types.js';
import { childActions, childEnvironment, nestedOf } from './stack-resource.js';

const DESCRIPTION = [
  'A Resource representing a stack.',
  '',
  'A resource that allowing for the creating stack, where should be defined',
  'stack template in HOT format, parameters (if template has any parameters',
  'with no default value), and timeout of creating. After creating current',
  'stack will have remote stack.',
].join('\n');

function contextOf(props: Props): Record<string, unknown> {
  const c = props['context'];
  return c !== null && typeof c === 'object' ? (c as Record<string, unknown>) : {};
}

function failed(where: string, what: string, why: string): HeatFault {
  return new HeatFault(
    'StackValidationFailed',
    `${what} Heat endpoint at ${where} due to "${why}"`,
  );
}

/** RemoteStack.validate: the endpoint first, then the template as that Heat validates it. */
export function checkRemote(props: Props, ownRegion: string): Record<string, unknown> {
  const given = contextOf(props)['region_name'];
  const region = typeof given === 'string' && given !== '' ? given : ownRegion;
  const remote = typeof contextOf(props)['credential_secret_id'] === 'string';
  const where = remote ? 'remote cloud' : `region "${region}"`;
  if (remote || region !== ownRegion) {
    const service = remote ? 'key-manager' : 'orchestration';
    const why = `publicURL endpoint for ${service} service in ${region} region not found`;
    throw failed(where, 'Cannot establish connection to', why);
  }
  try {
    const body = parseTemplateText(String(props['template'])) as Record<string, unknown>;
    Template.load(body, new Map());
    return body;
  } catch (err) {
    const why = `ERROR: ${err instanceof Error ? err.message : String(err)}`;
    throw failed(where, 'Failed validating stack template using', why);
  }
}

function childDef(rc: ResourceContext, props: Props) {
  const parameters = (props['parameters'] ?? {}) as Record<string, unknown>;
  return {
    template: checkRemote(props, rc.stack.region ?? ''),
    files: rc.definition?.files ?? {},
    environment: childEnvironment(rc.definition?.environment, null),
    parameters,
    timeoutMins: (props['timeout'] as number | null) ?? null,
  };
}

/** _check_action_complete: a failed stack is ResourceInError with the stack's own reason. */
async function done(rc: ResourceContext, id: string, action: string): Promise<boolean> {
  const state = await nestedOf(rc).state(id);
  if (state === null) return action === 'DELETE';
  if (state.action !== action || state.status === 'IN_PROGRESS') return false;
  if (state.status === 'COMPLETE') return true;
  const status = `${state.action}_${state.status}`;
  if (state.status === 'FAILED') {
    throw new HeatFault('ResourceInError', `Went to status ${status} due to "${state.reason}"`);
  }
  throw new HeatFault(
    'ResourceUnknownStatus',
    `Resource failed - Unknown status ${status} due to "${state.reason}"`,
  );
}

export const remoteStack: ResourceType = {
  type: 'OS::Heat::Stack',
  alwaysUpdate: true,
  description: DESCRIPTION,
  properties: {
    context: {
      type: 'map',
      description: 'Context for this stack.',
      updateAllowed: true,
      schema: {
        region_name: {
          type: 'string',
          description: 'Region name in which this stack will be created.',
          required: false,
        },
        credential_secret_id: {
          type: 'string',
          description:
            'A Barbican secret ID. The Barbican secret should contain an OpenStack credential ' +
            'that can be used to access a remote cloud.',
          required: false,
          updateAllowed: true,
          supportStatus: { status: 'SUPPORTED', version: '12.0.0' },
        },
        ca_cert: {
          type: 'string',
          description: 'CA Cert for SSL.',
          required: false,
          updateAllowed: true,
          supportStatus: { status: 'SUPPORTED', version: '12.0.0' },
        },
        insecure: {
          type: 'boolean',
          description: "If set, then the server's certificate will not be verified.",
          default: false,
          required: false,
          updateAllowed: true,
          supportStatus: { status: 'SUPPORTED', version: '12.0.0' },
        },
      },
    },
    template: {
      type: 'string',
      description: 'Template that specifies the stack to be created as a resource.',
      required: true,
      updateAllowed: true,
    },
    timeout: {
      type: 'integer',
      description: 'Number of minutes to wait for this stack creation.',
      updateAllowed: true,
    },
    parameters: {
      type: 'map',
      description: 'Set of parameters passed to this stack.',
      default: {},
      updateAllowed: true,
    },
  },
  attributes: {
    stack_name: { description: 'Name of the stack.', type: 'string' },
    outputs: { description: 'A dict of key-value pairs output from the stack.', type: 'map' },
  },

  validate(rc, props) {
    checkRemote(props, rc.stack.region ?? '');
    return Promise.resolve();
  },

  preflight(props, region) {
    if (typeof props['template'] === 'string') checkRemote(props, region);
  },

  ...childActions,

  create(rc, props) {
    return nestedOf(rc).create(childDef(rc, props));
  },

  checkCreateComplete(rc, id) {
    return done(rc, id, 'CREATE');
  },

  /** A new region is a new stack. */
  needsReplace(next, prev, changed) {
    return changed.includes('context') && regionName(next) !== regionName(prev);
  },

  async update(rc, id, next) {
    await nestedOf(rc).update(id, childDef(rc, next));
  },

  checkUpdateComplete(rc, id) {
    return done(rc, id, 'UPDATE');
  },

  async delete(rc, id) {
    await nestedOf(rc).delete(id);
  },

  checkDeleteComplete(rc, id) {
    return done(rc, id, 'DELETE');
  },

  async attribute(rc, id, name) {
    if (name === 'stack_name') return rc.physicalName();
    if (name === 'outputs') return Object.fromEntries(await nestedOf(rc).outputs(id));
    return null;
  },
};

function regionName(props: Props): unknown {
  return contextOf(props)['region_name'] ?? null;
}
