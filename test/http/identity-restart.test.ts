import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testApp } from '../helpers/app.js';

test('tokens and users survive a restart', async () => {
  const first = await testApp();
  const token = await first.token('demo');
  await first.close();
  const again = await testApp(first.dataDir);
  try {
    const res = await again.inject({
      method: 'GET',
      url: '/image/v2/images',
      headers: { 'x-auth-token': token },
    });
    assert.equal(res.statusCode, 200);
  } finally {
    await again.close();
  }
});
