import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { useApp } from '../helpers/app.js';

const f = useApp();

const PATCH = { 'content-type': 'application/openstack-images-v2.1-json-patch' };

async function create(
  headers: Record<string, string>,
  body: Record<string, unknown>,
): Promise<string> {
  const res = await f.t.inject({ method: 'POST', url: '/image/v2/images', headers, payload: body });
  assert.equal(res.statusCode, 201, res.body);
  return res.json().id;
}

async function ids(headers: Record<string, string>, qs = ''): Promise<string[]> {
  const res = await f.t.inject({ method: 'GET', url: `/image/v2/images?limit=1000${qs}`, headers });
  assert.equal(res.statusCode, 200, res.body);
  return res.json().images.map((i: { id: string }) => i.id);
}

describe('project isolation and Glance visibility', () => {
  test('demo never sees or changes admin private images; admin sees and changes demo ones', async () => {
    const adminPrivate = await create(f.admin, { name: 'admin-private', visibility: 'private' });
    const demoPrivate = await create(f.demo, { name: 'demo-private', visibility: 'private' });
    assert.equal(
      (
        await f.t.inject({
          method: 'GET',
          url: `/image/v2/images/${adminPrivate}`,
          headers: f.demo,
        })
      ).statusCode,
      404,
    );
    assert.ok(!(await ids(f.demo)).includes(adminPrivate));
    assert.ok(!(await ids(f.demo, '&visibility=private')).includes(adminPrivate));
    const patch = await f.t.inject({
      method: 'PATCH',
      url: `/image/v2/images/${adminPrivate}`,
      headers: { ...f.demo, ...PATCH },
      payload: [{ op: 'replace', path: '/name', value: 'pwned' }],
    });
    assert.equal(patch.statusCode, 404);
    assert.equal(
      (
        await f.t.inject({
          method: 'DELETE',
          url: `/image/v2/images/${adminPrivate}`,
          headers: f.demo,
        })
      ).statusCode,
      404,
    );
    assert.ok((await ids(f.admin)).includes(demoPrivate));
    const adminPatch = await f.t.inject({
      method: 'PATCH',
      url: `/image/v2/images/${demoPrivate}`,
      headers: { ...f.admin, ...PATCH },
      payload: [{ op: 'replace', path: '/name', value: 'by-admin' }],
    });
    assert.equal(adminPatch.statusCode, 200);
  });

  test("--private lists only the caller's private images; a default-visibility image is not in it", async () => {
    const priv = await create(f.demo, { name: 'p', visibility: 'private' });
    const shared = await create(f.demo, { name: 's' });
    const privateIds = await ids(f.demo, '&visibility=private');
    assert.ok(privateIds.includes(priv));
    assert.ok(!privateIds.includes(shared));
    assert.ok((await ids(f.demo, '&visibility=shared')).includes(shared));
  });

  test('public images are seen by all but changed only by their owner; only admin publishes', async () => {
    const pub = await create(f.admin, { name: 'pub', visibility: 'public' });
    assert.ok((await ids(f.demo)).includes(pub));
    assert.ok((await ids(f.demo, '&visibility=public')).includes(pub));
    const patch = await f.t.inject({
      method: 'PATCH',
      url: `/image/v2/images/${pub}`,
      headers: { ...f.demo, ...PATCH },
      payload: [{ op: 'replace', path: '/name', value: 'x' }],
    });
    assert.equal(patch.statusCode, 403);
    assert.equal(
      (await f.t.inject({ method: 'DELETE', url: `/image/v2/images/${pub}`, headers: f.demo }))
        .statusCode,
      403,
    );
  });

  test('community images: visible by id and with visibility=community, not in the default list', async () => {
    const com = await create(f.admin, { name: 'com', visibility: 'community' });
    assert.equal(
      (await f.t.inject({ method: 'GET', url: `/image/v2/images/${com}`, headers: f.demo }))
        .statusCode,
      200,
    );
    assert.ok(!(await ids(f.demo)).includes(com));
    assert.ok((await ids(f.demo, '&visibility=community')).includes(com));
  });

  test('sharing: pending images are hidden until accepted; only the member decides; owner removes', async () => {
    const img = await create(f.admin, { name: 'to-share' });
    const add = await f.t.inject({
      method: 'POST',
      url: `/image/v2/images/${img}/members`,
      headers: f.admin,
      payload: { member: f.demoProject },
    });
    assert.equal(add.statusCode, 200);
    assert.equal(add.json().status, 'pending');
    assert.equal(add.json().schema, '/v2/schemas/member');
    const dup = await f.t.inject({
      method: 'POST',
      url: `/image/v2/images/${img}/members`,
      headers: f.admin,
      payload: { member: f.demoProject },
    });
    assert.equal(dup.statusCode, 409);
    assert.ok(!(await ids(f.demo)).includes(img));
    assert.ok((await ids(f.demo, '&visibility=shared&member_status=pending')).includes(img));
    assert.equal(
      (await f.t.inject({ method: 'GET', url: `/image/v2/images/${img}`, headers: f.demo }))
        .statusCode,
      200,
    );

    const member = `/image/v2/images/${img}/members/${f.demoProject}`;
    const byOwner = await f.t.inject({
      method: 'PUT',
      url: member,
      headers: f.admin,
      payload: { status: 'accepted' },
    });
    assert.equal(byOwner.statusCode, 403);
    const invalid = await f.t.inject({
      method: 'PUT',
      url: member,
      headers: f.demo,
      payload: { status: 'notavalidstatus' },
    });
    assert.equal(invalid.statusCode, 400);
    const accept = await f.t.inject({
      method: 'PUT',
      url: member,
      headers: f.demo,
      payload: { member: f.demoProject, status: 'accepted' },
    });
    assert.equal(accept.statusCode, 200);
    assert.ok((await ids(f.demo)).includes(img));
    const list = await f.t.inject({
      method: 'GET',
      url: `/image/v2/images/${img}/members`,
      headers: f.admin,
    });
    assert.deepEqual(
      list.json().members.map((m: any) => [m.member_id, m.status]),
      [[f.demoProject, 'accepted']],
    );
    assert.equal(list.json().schema, '/v2/schemas/members');
    // A member may not share the image onwards or change it.
    const onward = await f.t.inject({
      method: 'POST',
      url: `/image/v2/images/${img}/members`,
      headers: f.demo,
      payload: { member: 'x' },
    });
    assert.equal(onward.statusCode, 403);
    assert.equal(
      (await f.t.inject({ method: 'DELETE', url: member, headers: f.admin })).statusCode,
      204,
    );
    assert.ok(!(await ids(f.demo)).includes(img));
    assert.equal(
      (await f.t.inject({ method: 'GET', url: `/image/v2/images/${img}`, headers: f.demo }))
        .statusCode,
      404,
    );
  });

  test('only shared images have members: every member call says so as Glance does', async () => {
    const message = (res: { json(): any }) => res.json().message.split('<br />')[0];
    for (const visibility of ['private', 'public', 'community']) {
      const img = await create(f.admin, { name: visibility, visibility });
      const url = `/image/v2/images/${img}/members`;
      // Glance image_members.py: index, create, update and delete refuse with 403 ...
      const list = await f.t.inject({ method: 'GET', url, headers: f.admin });
      assert.equal(list.statusCode, 403, visibility);
      assert.equal(
        message(list),
        `Not allowed to list members for image ${img}: Only shared images have members.`,
      );
      const add = await f.t.inject({
        method: 'POST',
        url,
        headers: f.admin,
        payload: { member: f.demoProject },
      });
      assert.equal(add.statusCode, 403);
      assert.equal(message(add), `Not allowed to create members for image ${img}.`);
      const update = await f.t.inject({
        method: 'PUT',
        url: `${url}/${f.demoProject}`,
        headers: f.admin,
        payload: { status: 'accepted' },
      });
      assert.equal(update.statusCode, 403);
      assert.equal(message(update), `Not allowed to update members for image ${img}.`);
      const remove = await f.t.inject({
        method: 'DELETE',
        url: `${url}/${f.demoProject}`,
        headers: f.admin,
      });
      assert.equal(remove.statusCode, 403);
      assert.equal(message(remove), `Not allowed to delete members for image ${img}.`);
      // ... and show hides it as a 404.
      const show = await f.t.inject({
        method: 'GET',
        url: `${url}/${f.demoProject}`,
        headers: f.admin,
      });
      assert.equal(show.statusCode, 404);
      assert.equal(message(show), 'Only shared images have members.');
    }
    // A public image listed by another project: the same 403, not an empty list.
    const pub = await create(f.admin, { name: 'pub', visibility: 'public' });
    const res = await f.t.inject({
      method: 'GET',
      url: `/image/v2/images/${pub}/members`,
      headers: f.demo,
    });
    assert.equal(res.statusCode, 403);
  });
});

describe('listing', () => {
  let made: string[] = [];
  before(async () => {
    const res = await f.t.inject({
      method: 'POST',
      url: '/identity/v3/projects',
      headers: f.admin,
      payload: { project: { name: 'lister' } },
    });
    const project = res.json().project.id;
    const userRes = await f.t.inject({
      method: 'POST',
      url: '/identity/v3/users',
      headers: f.admin,
      payload: { user: { name: 'lister', password: 'pw' } },
    });
    const roles = (
      await f.t.inject({ method: 'GET', url: '/identity/v3/roles?name=member', headers: f.admin })
    ).json().roles;
    await f.t.inject({
      method: 'PUT',
      url: `/identity/v3/projects/${project}/users/${userRes.json().user.id}/roles/${roles[0].id}`,
      headers: f.admin,
    });
    const auth = await f.t.inject({
      method: 'POST',
      url: '/identity/v3/auth/tokens',
      payload: {
        auth: {
          identity: {
            methods: ['password'],
            password: { user: { name: 'lister', domain: { id: 'default' }, password: 'pw' } },
          },
          scope: { project: { id: project } },
        },
      },
    });
    const lister = { 'x-auth-token': auth.headers['x-subject-token'] as string };
    made = [];
    for (let i = 0; i < 7; i++) {
      made.push(
        await create(lister, {
          name: `img-${i % 3}`,
          disk_format: i % 2 ? 'raw' : 'qcow2',
          container_format: 'bare',
          tags: i < 3 ? ['even', 'low'] : ['even'],
          color: i === 4 ? 'red' : 'blue',
        }),
      );
    }
    listerHeaders = lister;
    owner = `&owner=${project}`;
  });
  let listerHeaders: Record<string, string>;
  // The public image of an earlier test is visible to everyone: look at the lister's own only.
  let owner = '';

  test('pages follow next links with exact markers and cover every image once', async () => {
    const seen: string[] = [];
    let url: string | undefined = `/v2/images?limit=3${owner}`;
    let pages = 0;
    while (url) {
      const res = await f.t.inject({ method: 'GET', url: `/image${url}`, headers: listerHeaders });
      const body = res.json();
      assert.equal(body.schema, '/v2/schemas/images');
      seen.push(...body.images.map((i: { id: string }) => i.id));
      url = body.next;
      if (url) assert.match(url, /^\/v2\/images\?limit=3&owner=\w+&marker=/);
      pages++;
    }
    assert.equal(pages, 3);
    assert.deepEqual([...seen].sort(), [...made].sort());
    // Newest first by default; images made in the same millisecond are ordered by id, descending.
    const rows = await f.t.db
      .selectFrom('images')
      .select(['id', 'created_at'])
      .where('id', 'in', made)
      .execute();
    const expected = rows
      // Binary order, as SQLite compares text (localeCompare would not).
      .sort((a, b) =>
        a.created_at === b.created_at
          ? a.id < b.id
            ? 1
            : -1
          : a.created_at < b.created_at
            ? 1
            : -1,
      )
      .map((r) => r.id);
    assert.deepEqual(seen, expected);
  });

  test('filters: name, disk_format, tag (all must match), extra property, in: lists', async () => {
    const get = async (qs: string) => (await ids(listerHeaders, qs + owner)).length;
    assert.equal(await get('&name=img-0'), 3);
    assert.equal(await get('&disk_format=raw'), 3);
    assert.equal(await get('&tag=even'), 7);
    assert.equal(await get('&tag=even&tag=low'), 3);
    assert.equal(await get('&color=red'), 1);
    assert.equal(await get('&name=in:img-0,img-1'), 5);
    assert.equal(await get('&status=queued'), 7);
    assert.equal(await get('&status=active'), 0);
  });

  test('sorting by name and by sort_key/sort_dir, with marker pages in that order', async () => {
    const res = await f.t.inject({
      method: 'GET',
      url: `/image/v2/images?sort=name:asc${owner}`,
      headers: listerHeaders,
    });
    const names = res.json().images.map((i: { name: string }) => i.name);
    assert.deepEqual(names, [...names].sort());
    const all: string[] = [];
    let url: string | undefined = `/v2/images?sort_key=name&sort_dir=desc&limit=2${owner}`;
    while (url) {
      const body: any = (
        await f.t.inject({ method: 'GET', url: `/image${url}`, headers: listerHeaders })
      ).json();
      all.push(...body.images.map((i: { name: string }) => i.name));
      url = body.next;
    }
    assert.equal(all.length, 7);
    assert.deepEqual(all, [...all].sort().reverse());
  });

  test('marker pages of a mixed-direction sort follow the one-page order exactly', async () => {
    const sort = `sort=name:asc,disk_format:desc${owner}`;
    const whole = (
      await f.t.inject({ method: 'GET', url: `/image/v2/images?${sort}`, headers: listerHeaders })
    ).json();
    const paged: string[] = [];
    let url: string | undefined = `/v2/images?${sort}&limit=2`;
    while (url) {
      const body: any = (
        await f.t.inject({ method: 'GET', url: `/image${url}`, headers: listerHeaders })
      ).json();
      paged.push(...body.images.map((i: { id: string }) => i.id));
      url = body.next;
    }
    assert.deepEqual(
      paged,
      whole.images.map((i: { id: string }) => i.id),
    );
    const keys = whole.images.map(
      (i: { name: string; disk_format: string }) => `${i.name} ${i.disk_format}`,
    );
    // Names ascending; within a name, disk formats descending.
    const order = (a: string, b: string): number => {
      const [na, fa] = a.split(' ') as [string, string];
      const [nb, fb] = b.split(' ') as [string, string];
      return na !== nb ? (na < nb ? -1 : 1) : fa === fb ? 0 : fa < fb ? 1 : -1;
    };
    assert.deepEqual(keys, [...keys].sort(order));
  });

  test('a listed image is the image GET shows, tags and extra properties included', async () => {
    const listed = (
      await f.t.inject({
        method: 'GET',
        url: `/image/v2/images?tag=low${owner}`,
        headers: listerHeaders,
      })
    ).json().images;
    assert.equal(listed.length, 3);
    for (const image of listed) {
      const shown = (
        await f.t.inject({
          method: 'GET',
          url: `/image/v2/images/${image.id}`,
          headers: listerHeaders,
        })
      ).json();
      assert.deepEqual(image, shown);
      assert.deepEqual([...image.tags].sort(), ['even', 'low']);
      assert.equal(image.color, 'blue');
    }
  });

  test('more filters: times, sizes, booleans, quoted in: lists, a malformed id, limit=0', async () => {
    const get = async (qs: string) => (await ids(listerHeaders, qs + owner)).length;
    assert.equal(await get('&created_at=gte:2000-01-01T00:00:00Z'), 7);
    assert.equal(await get('&created_at=lt:2000-01-01T00:00:00Z'), 0);
    assert.equal(
      await get('&updated_at=gt:2000-01-01T00:00:00Z&updated_at=lte:2999-01-01T00:00:00Z'),
      7,
    );
    assert.equal(await get('&size_min=1'), 0);
    assert.equal(await get('&protected=false'), 7);
    assert.equal(await get('&protected=true'), 0);
    assert.equal(await get('&updated_at=lt:2000-01-01T00:00:00Z'), 0);
    assert.equal(await get('&os_hidden=true'), 0);
    assert.equal(await get('&name=in:"img-0",img-2'), 5);
    assert.equal(await get('&id=not-a-uuid'), 0);
    assert.equal(await get(`&id=${made[0]}`), 1);
    const none = (
      await f.t.inject({
        method: 'GET',
        url: `/image/v2/images?limit=0${owner}`,
        headers: listerHeaders,
      })
    ).json();
    assert.deepEqual(none.images, []);
    assert.equal(none.next, undefined);
  });
});
