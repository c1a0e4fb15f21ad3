// What a suite's prepare() uses to make fixtures on the server before Tempest runs.
import assert from 'node:assert/strict';
import type { RunningServer } from '../helpers/server.js';
import { ADMIN_PASSWORD } from './conf.js';

/** Gets a project-scoped token for admin/admin and the catalog, for preparing fixtures before the run. */
export async function adminSession(
  server: RunningServer,
): Promise<{ token: string; catalog: CatalogEntry[] }> {
  const res = await fetch(new URL('/identity/v3/auth/tokens', server.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      auth: {
        identity: {
          methods: ['password'],
          password: {
            user: { name: 'admin', domain: { name: 'Default' }, password: ADMIN_PASSWORD },
          },
        },
        scope: { project: { name: 'admin', domain: { name: 'Default' } } },
      },
    }),
  });
  const text = await res.text();
  assert.equal(res.status, 201, `admin token request failed: ${res.status} ${text}`);
  const token = res.headers.get('x-subject-token');
  assert.ok(token, 'no X-Subject-Token on the admin token response');
  const body = JSON.parse(text) as { token: { catalog?: CatalogEntry[] } };
  return { token, catalog: body.token.catalog ?? [] };
}

export interface CatalogEntry {
  type: string;
  endpoints: { interface: string; url: string }[];
}

/** The public endpoint URL of a catalog service type. */
export function endpointOf(catalog: CatalogEntry[], type: string): string {
  const ep = catalog.find((s) => s.type === type)?.endpoints.find((e) => e.interface === 'public');
  assert.ok(ep, `no public ${type} endpoint in the catalog`);
  return ep.url.replace(/\/$/, '');
}
