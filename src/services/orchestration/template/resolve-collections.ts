/** The list and map functions: repeat, map_merge, map_replace, str_split, filter, list_concat,
 *  contains and CFN's Fn::Select, Fn::Split, Fn::MemberListToMap and Fn::FindInMap. */
import { pyRepr } from '../../../http/pyrepr.js';
import { typeError, valueError } from './fnerror.js';
import { fromEntries, isMap, pyEquals, pyJsonDumps, pyScalarStr } from './pyvalue.js';
import type { ResolveContext } from './resolve.js';
import type { FnKind } from './versions.js';

/** Bound on what one call may build, so `repeat` over big lists cannot exhaust memory. */
const MAX_ITEMS = 100000;

export function resolveCollectionFn(
  kind: FnKind,
  name: string,
  a: unknown,
  _raw: unknown,
  ctx: ResolveContext,
  _depth: number,
): unknown {
  switch (kind) {
    case 'repeat':
    case 'repeat_map':
    case 'repeat_nested':
      return repeat(kind, name, a as Record<string, unknown>);
    case 'map_merge':
      return mapMerge(name, a);
    case 'map_replace':
      return mapReplace(name, a);
    case 'str_split':
      return strSplit(name, a as unknown[]);
    case 'filter': {
      const [values, seq] = a as unknown[];
      if (!seq || (Array.isArray(seq) && seq.length === 0)) return seq;
      if (!Array.isArray(seq)) throw typeError(`"${name}" only works with lists`);
      if (!values || (Array.isArray(values) && values.length === 0)) return seq;
      if (!Array.isArray(values)) throw typeError(`"${name}" filters a list of values`);
      return seq.filter((x) => !values.some((v) => pyEquals(v, x)));
    }
    case 'list_concat':
    case 'list_concat_unique':
      return listConcat(kind === 'list_concat_unique', name, a);
    case 'contains': {
      const [value, seq] = a as unknown[];
      if (!Array.isArray(seq) && typeof seq !== 'string') {
        throw typeError(`Second argument to "${name}" should be a sequence.`);
      }
      if (typeof seq === 'string') return typeof value === 'string' && seq.includes(value);
      return seq.some((x) => pyEquals(x, value));
    }
    case 'cfn_select':
      return select(name, (a as unknown[])[0], (a as unknown[])[1]);
    case 'cfn_split': {
      const [delim, str] = a as unknown[];
      if (typeof delim !== 'string') throw typeError(`Delimiter for ${name} must be string`);
      if (typeof str !== 'string')
        throw typeError(`String to split must be string; got ${pyType(str)}`);
      if (delim === '') throw valueError('empty separator');
      return str.split(delim);
    }
    case 'cfn_member_list_to_map':
      return memberListToMap(a as unknown[]);
    case 'cfn_find_in_map': {
      const [m, k, v] = a as unknown[];
      const lookup = (o: unknown, key: unknown): unknown => {
        if (!isMap(o) || typeof key !== 'string' || !Object.hasOwn(o, key)) {
          throw valueError(pyRepr(key));
        }
        return o[key];
      };
      return lookup(lookup(lookup(ctx.mappings, m), k), v);
    }
    default:
      throw valueError(`Unknown function ${name}`);
  }
}

function pyType(v: unknown): string {
  if (v === null || v === undefined) return "<class 'NoneType'>";
  if (Array.isArray(v)) return "<class 'list'>";
  if (isMap(v)) return "<class 'dict'>";
  if (typeof v === 'boolean') return "<class 'bool'>";
  if (typeof v === 'number') return Number.isInteger(v) ? "<class 'int'>" : "<class 'float'>";
  return "<class 'str'>";
}

function replaceIn(keys: string[], values: string[], t: unknown): unknown {
  if (typeof t === 'string') {
    let s = t;
    keys.forEach((k, i) => {
      if (k !== '') s = s.split(k).join(values[i]!);
    });
    return s;
  }
  if (Array.isArray(t)) return t.map((x) => replaceIn(keys, values, x));
  if (isMap(t)) {
    return fromEntries(
      Object.keys(t).map((k) => [
        replaceIn(keys, values, k) as string,
        replaceIn(keys, values, t[k]),
      ]),
    );
  }
  return t;
}

function repeat(kind: FnKind, name: string, a: Record<string, unknown>): unknown[] {
  const forEach = a['for_each'];
  if (!isMap(forEach)) throw typeError(`The "for_each" argument to "${name}" must contain a map`);
  const nested = kind === 'repeat_nested' ? a['permutations'] !== false : true;
  const keys = Object.keys(forEach);
  const lists: string[][] = [];
  const lens: number[] = [];
  for (const k of keys) {
    const v = forEach[k];
    if (v === null || v === undefined) {
      lists.push([]);
      continue;
    }
    const allowMap = kind !== 'repeat' && nested;
    if (!(Array.isArray(v) || (allowMap && isMap(v)))) {
      throw typeError(
        `The values of the "for_each" argument to "${name}" must be ` +
          (allowMap ? 'lists or maps' : 'lists'),
      );
    }
    const items = Array.isArray(v) ? v : Object.keys(v);
    // The values replace text, so they are strings (Python's str.replace would raise).
    lists.push(items.map((x) => (typeof x === 'string' ? x : pyScalarStr(x))));
    lens.push(items.length);
  }
  if (!nested && lens.length && new Set(lens).size !== 1) {
    throw valueError(
      `For ${name}, the length of for_each values should be equal if no nested loop.`,
    );
  }
  const combos: string[][] = [];
  if (nested) {
    const total = lists.reduce((n, l) => n * l.length, 1);
    if (total > MAX_ITEMS) throw valueError(`The result of "${name}" is too large.`);
    const walk = (i: number, acc: string[]): void => {
      if (i === lists.length) combos.push(acc);
      else for (const x of lists[i]!) walk(i + 1, [...acc, x]);
    };
    if (lists.length) walk(0, []);
  } else {
    const n = Math.min(...lists.map((l) => l.length));
    for (let i = 0; i < n; i++) combos.push(lists.map((l) => l[i]!));
  }
  return combos.map((values) => replaceIn(keys, values, a['template']));
}

function mapMerge(name: string, a: unknown): Record<string, unknown> {
  if (!Array.isArray(a)) {
    throw typeError(
      `Incorrect arguments to "${name}" should be: "${name}" : [ { "key1": "val1" }, { "key2": "val2" } ]`,
    );
  }
  const out: Array<[string, unknown]> = [];
  const index = new Map<string, number>();
  for (const m of a) {
    if (m === null || m === undefined) continue;
    if (!isMap(m)) throw typeError('Incorrect arguments: Items to merge must be maps.');
    for (const k of Object.keys(m)) {
      const at = index.get(k);
      if (at === undefined) {
        index.set(k, out.length);
        out.push([k, m[k]]);
      } else out[at] = [k, m[k]];
    }
  }
  return fromEntries(out);
}

function mapReplace(name: string, a: unknown): Record<string, unknown> {
  const ex = `"${name}" : [ { "key1": "val1" }, {"keys": {"key1": "key2"}, "values": {"val1": "val2"}}]`;
  const ensure = (m: unknown): Record<string, unknown> => {
    if (m === null || m === undefined) return {};
    if (isMap(m)) return m;
    throw typeError(
      `Incorrect arguments: to "${name}", arguments must be a list of maps. Example:  ${ex}`,
    );
  };
  if (!Array.isArray(a) || a.length !== 2) {
    throw typeError(`Incorrect arguments to "${name}" should be: ${ex}`);
  }
  const input = ensure(a[0]);
  const repl = ensure(a[1]);
  for (const k of Object.keys(repl)) {
    if (k !== 'keys' && k !== 'values') {
      throw valueError(`Incorrect arguments to "${name}" should be: ${ex}`);
    }
  }
  const keys = ensure(repl['keys']);
  const values = ensure(repl['values']);
  const out = new Map<string, unknown>();
  for (const k of Object.keys(input)) {
    const mapped = Object.hasOwn(keys, k) ? keys[k] : null;
    let key = k;
    if (mapped !== null && mapped !== undefined) {
      key = typeof mapped === 'string' ? mapped : pyScalarStr(mapped);
      if (Object.hasOwn(input, key) && key !== k) {
        throw valueError(`key replacement ${key} collides with a key in the input map`);
      }
      if (out.has(key)) {
        throw valueError(`key replacement ${key} collides with a key in the output map`);
      }
    }
    const v = input[k];
    const vk = typeof v === 'string' || typeof v === 'number' ? String(v) : null;
    out.set(
      key,
      vk !== null && typeof v === 'string' && Object.hasOwn(values, vk) ? values[vk] : v,
    );
  }
  return fromEntries(out);
}

function strSplit(name: string, a: unknown[]): unknown {
  const ex = `Incorrect arguments to "${name}" should be: "${name}" : [ ",", "apples,pears", <index>]`;
  if (!Array.isArray(a) || a.length < 2) throw valueError(ex);
  const [delim, str, index] = a;
  if (str === null || str === undefined) return null;
  if (typeof str !== 'string' || typeof delim !== 'string') throw typeError(ex);
  if (delim === '') throw valueError('empty separator');
  const parts = str.split(delim);
  if (a.length < 3) return parts;
  const i = typeof index === 'number' ? Math.trunc(index) : Number(String(index).trim());
  if (!Number.isInteger(i)) {
    throw valueError(
      `Incorrect index to "${name}" should be: "${name}" : [ ",", "apples,pears", <index>]`,
    );
  }
  const at = i < 0 ? parts.length + i : i;
  if (at < 0 || at >= parts.length) {
    throw valueError(`Incorrect index to "${name}" should be between 0 and ${parts.length - 1}`);
  }
  return parts[at];
}

function listConcat(unique: boolean, name: string, a: unknown): unknown[] {
  if (!Array.isArray(a)) {
    throw typeError(
      `Incorrect arguments to "${name}" should be: "${name}" : [ [ <value 1>, <value 2> ], [ <value 3>, <value 4> ] ]`,
    );
  }
  const out: unknown[] = [];
  for (const m of a) {
    if (m === null || m === undefined) continue;
    if (!Array.isArray(m)) {
      throw typeError(
        `Incorrect arguments: Items to concat must be lists. ${pyJsonDumps(a)} contains an item that is not a list: ${pyJsonDumps(m)}`,
      );
    }
    out.push(...m);
  }
  if (!unique) return out;
  const u: unknown[] = [];
  for (const x of out) if (!u.some((y) => pyEquals(x, y))) u.push(x);
  return u;
}

function select(name: string, index: unknown, strings: unknown): unknown {
  if (strings === '') return '';
  let coll = strings;
  if (typeof coll === 'string') {
    try {
      coll = JSON.parse(coll);
    } catch (e) {
      throw valueError(`"${name}": ${(e as Error).message}`);
    }
  }
  if (isMap(coll)) {
    if (typeof index !== 'string') throw typeError(`Index to "${name}" must be a string`);
    return Object.hasOwn(coll, index) ? coll[index] : '';
  }
  if (Array.isArray(coll)) {
    const i =
      typeof index === 'number'
        ? index
        : typeof index === 'string' && /^\s*[+-]?\d+\s*$/.test(index)
          ? Number(index)
          : NaN;
    if (!Number.isInteger(i)) throw typeError(`Index to "${name}" must be an integer`);
    const at = i < 0 ? coll.length + i : i;
    return at >= 0 && at < coll.length ? coll[at] : '';
  }
  if (coll === null || coll === undefined) return '';
  throw typeError(`Arguments to ${name} not fully resolved`);
}

function memberListToMap(a: unknown[]): Record<string, unknown> {
  const [keyName, valueName, list] = a as [string, string, unknown];
  if (!Array.isArray(list)) throw typeError('Member list must be a list');
  const pairs = new Map<string, string>();
  for (const s of list) {
    if (typeof s !== 'string') throw typeError('Member list items must be strings');
    const i = s.indexOf('=');
    if (i >= 0) pairs.set(s.slice(0, i), s.slice(i + 1));
  }
  // aws_utils.extract_param_pairs: ".member.N.<key>" and ".member.N.<value>" pair up by N.
  const out: Array<[string, unknown]> = [];
  for (const [k, v] of pairs) {
    const m = /^\.member\.(\d+)\.(.+)$/.exec(k);
    if (!m || m[2] !== keyName) continue;
    const val = pairs.get(`.member.${m[1]}.${valueName}`);
    if (val !== undefined) out.push([v, val]);
  }
  return fromEntries(out);
}
