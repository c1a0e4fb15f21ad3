import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useApp } from '../helpers/app.js';
import { heatUrl } from '../helpers/stacks.js';

const fx = useApp();

async function call(
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  path: string,
  payload?: unknown,
  who: 'demo' | 'admin' = 'demo',
) {
  return fx.t.inject({
    method,
    url: heatUrl(fx, path, who),
    headers: who === 'demo' ? fx.demo : fx.admin,
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
}

test('a deployment of a config: create, show, metadata by server, update, list, delete', async () => {
  const config = await call('POST', '/software_configs', {
    name: 'cfg',
    group: 'script',
    config: 'echo hello',
  });
  assert.equal(config.statusCode, 200);
  const configId = config.json().software_config.id as string;

  const made = await call('POST', '/software_deployments', {
    action: 'ACTION0',
    config_id: configId,
    server_id: 'dummy_server',
  });
  assert.equal(made.statusCode, 200, made.body);
  const sd = made.json().software_deployment;
  assert.equal(sd.action, 'ACTION0');
  assert.equal(sd.status, 'COMPLETE');
  assert.deepEqual(sd.input_values, {});
  assert.match(sd.creation_time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

  const shown = await call('GET', `/software_deployments/${sd.id}`);
  assert.equal(shown.json().software_deployment.config_id, configId);
  const meta = await call('GET', '/software_deployments/metadata/dummy_server');
  assert.deepEqual(
    meta.json().metadata.map((c: { group: string; id: string }) => [c.id, c.group]),
    [[configId, 'script']],
  );

  const updated = await call('PUT', `/software_deployments/${sd.id}`, {
    action: 'ACTION1',
    status: 'COMPLETE',
    status_reason: 'completed',
  });
  assert.equal(updated.statusCode, 200);
  assert.equal(updated.json().software_deployment.action, 'ACTION1');
  assert.equal(updated.json().software_deployment.status_reason, 'completed');
  assert.ok(updated.json().software_deployment.updated_time);

  const listed = await call('GET', '/software_deployments?server_id=dummy_server');
  assert.deepEqual(
    listed.json().software_deployments.map((d: { id: string }) => d.id),
    [sd.id],
  );
  // The config is referenced: Heat refuses to delete it.
  const refused = await call('DELETE', `/software_configs/${configId}`);
  assert.equal(refused.statusCode, 400);
  assert.equal((await call('DELETE', `/software_deployments/${sd.id}`)).statusCode, 204);
  const gone = await call('GET', `/software_deployments/${sd.id}`);
  assert.equal(gone.statusCode, 404);
  assert.equal(gone.json().error.message, `Deployment with id ${sd.id} not found`);
  assert.equal((await call('DELETE', `/software_configs/${configId}`)).statusCode, 204);
});

test('a deployment needs a config that exists; bodies that are not maps are 400', async () => {
  const missing = await call('POST', '/software_deployments', {
    config_id: '00000000-0000-4000-8000-000000000000',
    server_id: 's',
  });
  assert.equal(missing.statusCode, 404);
  assert.equal(
    missing.json().error.message,
    'Software config with id 00000000-0000-4000-8000-000000000000 not found',
  );
  const bad = await call('POST', '/software_deployments', {
    config_id: 'x',
    server_id: 's',
    input_values: [1],
  });
  assert.equal(bad.statusCode, 400);
  assert.equal((await call('POST', '/software_deployments', [1])).statusCode, 400);
});
