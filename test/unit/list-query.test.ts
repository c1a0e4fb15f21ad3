import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseListQuery } from '../../src/services/image/list-query.js';
import { BadRequest } from '../../src/errors.js';

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
  assert.equal(parseListQuery({ limit: '0' }).limit, 0);
  assert.throws(
    () => parseListQuery({ limit: '-1' }),
    (e: Error) => e instanceof BadRequest && /must be positive/.test(e.message),
  );
  assert.throws(() => parseListQuery({ limit: 'abc' }), /must be an integer/);
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
  assert.throws(() => parseListQuery({ sort_dir: 'up' }), /Invalid sort direction: up/);
  assert.throws(() => parseListQuery({ sort: 'name:asc', sort_key: 'size' }), BadRequest);
});

test('bad filter values are 400s', () => {
  assert.throws(
    () => parseListQuery({ visibility: 'everyone' }),
    /Invalid visibility value: everyone/,
  );
  assert.throws(() => parseListQuery({ member_status: 'maybe' }), /Invalid status: maybe/);
  assert.throws(() => parseListQuery({ status: 'sleeping' }), /Invalid status value: sleeping/);
  assert.throws(() => parseListQuery({ size_min: 'big' }), /size_min param must be an integer/);
  assert.throws(
    () => parseListQuery({ created_at: 'after:2020-01-01' }),
    /Invalid created_at filter/,
  );
  assert.throws(() => parseListQuery({ protected: 'perhaps' }), BadRequest);
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
  // name, os_hidden default, size_min, size_max, created_at, two tags, one extra property.
  assert.equal(q.conditions.length, 8);
});
