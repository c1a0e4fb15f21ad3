import assert from 'node:assert/strict';
import type { AppFixture } from './app.js';

/** Requests against /network/v2.0 for the L3 tests (routers, floating IPs, topology). */
export function l3Client(app: AppFixture) {
  const n = '/network/v2.0';
  const call =
    (method: 'GET' | 'POST' | 'PUT' | 'DELETE') =>
    (path: string, payload?: unknown, headers = app.demo) =>
      app.t.inject({
        method,
        url: `${n}/${path}`,
        headers,
        ...(payload === undefined ? {} : { payload: payload as object }),
      });
  const post = call('POST');
  const put = call('PUT');
  const get = (path: string, headers = app.demo) => call('GET')(path, undefined, headers);
  const del = (path: string, headers = app.demo) => call('DELETE')(path, undefined, headers);

  async function created(res: { statusCode: number; body: string; json(): any }, key: string) {
    assert.equal(res.statusCode, 201, res.body);
    return res.json()[key];
  }

  return {
    post,
    put,
    get,
    del,
    async network(body: Record<string, unknown> = {}, headers = app.demo): Promise<any> {
      return created(await post('networks', { network: body }, headers), 'network');
    },
    async subnet(networkId: string, cidr: string, extra = {}, headers = app.demo): Promise<any> {
      const subnet = {
        network_id: networkId,
        cidr,
        ip_version: cidr.includes(':') ? 6 : 4,
        ...extra,
      };
      return created(await post('subnets', { subnet }, headers), 'subnet');
    },
    /** An admin's external network with one subnet, and its pool. */
    async external(cidr = '172.24.4.0/24', extra = {}): Promise<{ net: any; subnet: any }> {
      const net = await created(
        await post('networks', { network: { name: 'ext', 'router:external': true } }, app.admin),
        'network',
      );
      const subnet = await created(
        await post(
          'subnets',
          { subnet: { network_id: net.id, cidr, ip_version: 4, enable_dhcp: false, ...extra } },
          app.admin,
        ),
        'subnet',
      );
      return { net, subnet };
    },
    async router(body: Record<string, unknown> = {}, headers = app.demo): Promise<any> {
      return created(await post('routers', { router: body }, headers), 'router');
    },
    async port(networkId: string, extra = {}, headers = app.demo): Promise<any> {
      return created(
        await post('ports', { port: { network_id: networkId, ...extra } }, headers),
        'port',
      );
    },
    async addInterface(routerId: string, body: unknown, headers = app.demo): Promise<any> {
      const res = await put(`routers/${routerId}/add_router_interface`, body, headers);
      assert.equal(res.statusCode, 200, res.body);
      return res.json();
    },
  };
}

export function assertNeutronError(
  res: { statusCode: number; body: string; json(): any },
  status: number,
  type: string,
  message?: string,
): void {
  assert.equal(res.statusCode, status, res.body);
  const body = res.json().NeutronError;
  assert.ok(body, res.body);
  assert.equal(body.type, type, res.body);
  if (message !== undefined) assert.equal(body.message, message);
  assert.equal(body.detail, '');
}
