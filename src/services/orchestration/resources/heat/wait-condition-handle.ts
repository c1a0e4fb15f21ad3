import { randomUUID } from 'node:crypto';
import type { ResourceContext, ResourceType } from '../types.js';
import { DOCS } from './docs.js';
import { generateOpenstackPassword } from './password-gen.js';
import { since, pyJsonDumps } from './support.js';
import type { WaitConditionHooks } from './wait-condition.js';

const TRANSPORTS = [
  'CFN_SIGNAL',
  'TEMP_URL_SIGNAL',
  'HEAT_SIGNAL',
  'NO_SIGNAL',
  'ZAQAR_SIGNAL',
  'TOKEN_SIGNAL',
];

/**
 * OS::Heat::WaitConditionHandle (wait_condition_handle.py). Heat makes a user in its stack
 * domain and uses its id as the physical id; here that id is made up and no user exists: the
 * signal credentials come from the engine's `signalToken` hook (TOKEN_SIGNAL, the default) and
 * the endpoint is the resource's signal URL. CFN_SIGNAL, TEMP_URL_SIGNAL and ZAQAR_SIGNAL are
 * accepted but give no credentials (`signal` is null for them).
 */
export function waitConditionHandle(hooks: WaitConditionHooks): ResourceType {
  return {
    type: 'OS::Heat::WaitConditionHandle',
    description: DOCS.waitConditionHandle,
    supportStatus: since('2014.2'),
    properties: {
      signal_transport: {
        type: 'string',
        description:
          'How the client will signal the wait condition. CFN_SIGNAL will allow an HTTP POST ' +
          'to a CFN keypair signed URL. TEMP_URL_SIGNAL will create a Swift TempURL to be ' +
          'signalled via HTTP PUT. HEAT_SIGNAL will allow calls to the Heat API resource-signal ' +
          'using the provided keystone credentials. ZAQAR_SIGNAL will create a dedicated zaqar ' +
          'queue to be signalled using the provided keystone credentials. TOKEN_SIGNAL will ' +
          'allow and HTTP POST to a Heat API endpoint with the provided keystone token. ' +
          'NO_SIGNAL will result in the resource going to a signalled state without waiting ' +
          'for any signal.',
        default: 'TOKEN_SIGNAL',
        constraints: [{ kind: 'allowed_values', values: TRANSPORTS }],
        supportStatus: since('6.0.0'),
      },
    },
    attributes: {
      token: {
        description:
          'Token for stack-user which can be used for signalling handle when signal_transport ' +
          'is set to TOKEN_SIGNAL. None for all other signal transports.',
        type: 'string',
      },
      endpoint: {
        description:
          'Endpoint/url which can be used for signalling handle when signal_transport is set ' +
          'to TOKEN_SIGNAL. None for all other signal transports.',
        type: 'string',
      },
      curl_cli: {
        description:
          'Convenience attribute, provides curl CLI command prefix, which can be used for ' +
          'signalling handle completion or failure when signal_transport is set to ' +
          'TOKEN_SIGNAL. You can signal success by adding --data-binary \'{"status": ' +
          '"SUCCESS"}\' , or signal failure by adding --data-binary \'{"status": "FAILURE"}\'. ' +
          'This attribute is set to None for all other signal transports.',
        type: 'string',
      },
      signal: {
        description:
          'JSON serialized map that includes the endpoint, token and/or other attributes the ' +
          'client must use for signalling this handle. The contents of this map depend on the ' +
          'type of signal selected in the signal_transport property.',
        type: 'string',
      },
    },

    async create(rc, props) {
      const userId = randomUUID().replaceAll('-', '');
      await rc.data.set('user_id', userId);
      await rc.data.set('password', generateOpenstackPassword());
      if (props.signal_transport === 'TOKEN_SIGNAL') {
        const token = hooks.signalToken ? await hooks.signalToken(rc) : null;
        if (token !== null) await rc.data.set('token', token);
        await rc.data.set('endpoint', signalUrl(rc));
      }
      return userId;
    },

    async delete() {},

    async attribute(rc, id, name, props) {
      if (!id) return null;
      const token = rc.data.get('token') ?? null;
      const endpoint = rc.data.get('endpoint') ?? null;
      switch (name) {
        case 'token':
          return token;
        case 'endpoint':
          return endpoint;
        case 'curl_cli':
          if (token === null || endpoint === null) return null;
          return (
            `curl -i -X POST -H 'X-Auth-Token: ${token}' -H 'Content-Type: application/json' ` +
            `-H 'Accept: application/json' ${endpoint}`
          );
        case 'signal':
          return pyJsonDumps(signalDetails(rc, props.signal_transport));
        default:
          return null;
      }
    },
  };
}

/** signal_responder._get_signal for the transports there is something to say about. */
function signalDetails(rc: ResourceContext, transport: unknown): unknown {
  if (transport === 'NO_SIGNAL') return {};
  if (transport !== 'HEAT_SIGNAL') return null;
  return {
    auth_url: `${rc.services.identity.baseUrl()}/identity/v3`,
    username: rc.physicalName(),
    user_id: rc.data.get('user_id') ?? null,
    password: rc.data.get('password') ?? null,
    project_id: rc.stack.projectId,
    domain_id: 'default',
    region_name: rc.services.identity.region,
    alarm_url: signalUrl(rc),
  };
}

/** <orchestration endpoint>/<project>/stacks/<name>/<id>/resources/<name>/signal, quoted as
 *  Heat's identifier quotes each piece. */
export function signalUrl(rc: ResourceContext): string {
  const base = `${rc.services.identity.baseUrl()}/orchestration/v1`;
  const path =
    `${quote(rc.stack.projectId)}/stacks/${quote(rc.stack.name)}/${quote(rc.stack.id)}` +
    `/resources/${quote(rc.resourceName)}`;
  return `${base}/${path}/signal`;
}

/** Python's urllib.parse.quote(s, ''): only letters, digits and _.-~ stay as they are. */
function quote(s: string): string {
  return encodeURIComponent(s).replace(
    /[!'()*]/g,
    (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase(),
  );
}
