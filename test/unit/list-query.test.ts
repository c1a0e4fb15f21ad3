import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseListQuery } from '../../src/services/image/routes/list-params.js';
import { filterConditions, pageClauses } from '../../src/services/image/list-query.js';
import { BadRequest } from '../../src/errors.js';

const is400 = (message: string) => (e: Error) => e instanceof BadRequest && e.message === message;

test('defaults: 25 per page, newest first, id as the tie-breaker', () => {
  const q = parseListQuery({});
  assert.equal(q.limit, 25);
  assert.deepEqual(q.sort, [
    ['created_at', 'desc'],
    ['id', 'desc'],
  ]);
  assert.equal(q.memberStatus, 'accepted');
});

test('limit is capped at 1000 and must be a non-negative integer', () => {
  assert.equal(parseListQuery({ limit: '5000' }).limit, 1000);
  assert.equal(parseListQuery({ limit: '99999999999999999999999999' }).limit, 1000);
  assert.equal(parseListQuery({ limit: '0' }).limit, 0);
  assert.throws(() => parseListQuery({ limit: '-1' }), is400('limit param must be positive'));
  assert.throws(() => parseListQuery({ limit: 'abc' }), is400('limit param must be an integer'));
});

test('sort forms: sort=k:d,k2:d2 and sort_key/sort_dir pairs', () => {
  assert.deepEqual(parseListQuery({ sort: 'name:asc,size:desc' }).sort, [
    ['name', 'asc'],
    ['size', 'desc'],
    ['created_at', 'desc'],
    ['id', 'desc'],
  ]);
  assert.deepEqual(
    parseListQuery({ sort_key: ['name', 'size'], sort_dir: ['asc', 'desc'] }).sort.slice(0, 2),
    [
      ['name', 'asc'],
      ['size', 'desc'],
    ],
  );
  assert.throws(
    () => parseListQuery({ sort_key: 'bogus' }),
    /Invalid sort key: bogus\. It must be one of the following: name, status/,
  );
  assert.throws(() => parseListQuery({ sort_dir: 'up' }), is400('Invalid sort direction: up'));
  assert.throws(
    () => parseListQuery({ sort: 'name:asc', sort_key: 'size' }),
    is400('Old and new sorting syntax cannot be combined'),
  );
  for (const key of ['__proto__', 'constructor', 'toString'])
    assert.throws(() => parseListQuery({ sort_key: key }), BadRequest);
});

test('bad filter values are 400s', () => {
  assert.throws(
    () => parseListQuery({ visibility: 'everyone' }),
    is400('Invalid visibility value: everyone'),
  );
  assert.throws(() => parseListQuery({ member_status: 'maybe' }), is400('Invalid status: maybe'));
  assert.throws(() => parseListQuery({ status: 'sleeping' }), /Invalid status value: sleeping/);
  assert.throws(
    () => parseListQuery({ size_min: 'big' }),
    is400('Unable to filter on a range with a non-numeric value.'),
  );
  assert.throws(
    () => parseListQuery({ created_at: 'after:2020-01-01' }),
    /Invalid created_at filter/,
  );
  assert.throws(
    () => parseListQuery({ protected: 'perhaps' }),
    is400("Invalid value 'perhaps' for 'protected' filter. Valid values are 'true' or 'false'."),
  );
  assert.throws(
    () => parseListQuery({ os_hidden: 'YES' }),
    is400("Invalid value 'yes' for 'os_hidden' filter. Valid values are 'true' or 'false'."),
  );
});

test('every filter becomes a condition', () => {
  const q = parseListQuery({
    name: 'x',
    tag: ['a', 'b'],
    size_min: '1',
    size_max: '9',
    created_at: 'gte:2020-01-01T00:00:00Z',
    color: 'red',
  });
  // name, os_hidden default, size_min, size_max, created_at, the tags, one extra property.
  assert.equal(filterConditions(q.filters).length, 7);
});

test('a thousand filters keep the statement flat: one parameter for many properties', () => {
  const query = Object.fromEntries(Array.from({ length: 1200 }, (_, i) => [`f${i}`, `${i}`]));
  query.tag = Array.from({ length: 1000 }, (_, i) => `t${i}`) as never;
  const q = parseListQuery(query);
  assert.equal(q.filters.properties.size, 1200);
  const sql = pageClauses(q, { text: '1 = 1', params: [] }, undefined);
  // visibility, os_hidden, tags (json + count), properties (json + count), limit.
  assert.equal(sql.params.length, 6);
});
