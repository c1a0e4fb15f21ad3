/**
 * The argument checks each function's constructor (and validate()) makes in Heat, before
 * anything is resolved: shapes, required keys, and their exact texts. Throws FnError.
 */
import { pyRepr } from '../../../http/pyrepr.js';
import { asCall, type CheckContext } from './check.js';
import { keyError, typeError, valueError } from './fnerror.js';
import { isMap } from './pyvalue.js';
import type { FnKind } from './versions.js';

function example(name: string, ex: string): string {
  return `Incorrect arguments to "${name}" should be: ${ex}`;
}

function replaceSyntax(name: string): string {
  return (
    `"${name}" syntax should be ${name}:\n` +
    '              template: This is var1 template var2\n' +
    '              params:\n' +
    '                var1: a\n' +
    '                var2: string'
  );
}

/** The constructor (and validate) checks of one call. Throws FnError. */
export function checkCall(kind: FnKind, name: string, a: unknown, ctx: CheckContext): void {
  const isList = Array.isArray(a);
  const len = isList ? a.length : typeof a === 'string' ? a.length : -1;
  switch (kind) {
    case 'get_attr_select':
    case 'get_attr':
      if (!isList) throw typeError(`Argument to "${name}" must be a list`);
      if (len < 2) {
        throw valueError(
          `Arguments to "${name}" must be of the form [resource_name, attribute, (path), ...]`,
        );
      }
      return;
    case 'get_attr_all':
      if (!a || len === 0) {
        throw valueError(
          `Arguments to "${name}" can be of the next forms: [resource_name] or ` +
            '[resource_name, attribute, (path), ...]',
        );
      }
      if (!isList) throw typeError(`Argument to "${name}" must be a list`);
      return;
    case 'cfn_getatt':
      if (len !== 2) {
        throw valueError(`Arguments to "${name}" must be of the form [resource_name, attribute]`);
      }
      return;
    case 'str_replace':
    case 'str_replace_json':
    case 'str_replace_strict':
    case 'str_replace_vstrict': {
      if (!isMap(a)) throw typeError(`Arguments to "${name}" must be a map`);
      if (!Object.hasOwn(a, 'params') || !Object.hasOwn(a, 'template')) {
        throw keyError(replaceSyntax(name));
      }
      const params = a['params'];
      if (!isMap(params)) throw typeError(`"${name}" parameters must be a mapping`);
      return;
    }
    case 'cfn_replace': {
      const ex = `{"${name}": [ {"$var1": "foo", "%var2%": "bar"}, "$var1 is %var2%"]}`;
      if (typeof a === 'string' || isMap(a)) throw typeError(example(name, ex));
      if (len !== 2) throw valueError(example(name, ex));
      if (!isMap((a as unknown[])[0])) throw typeError(`"${name}" parameters must be a mapping`);
      return;
    }
    case 'list_join':
    case 'cfn_join': {
      const ex = `"${name}" : [ " ", [ "str1", "str2"]]`;
      if (!isList) throw typeError(example(name, ex));
      if (len !== 2) throw valueError(example(name, ex));
      return;
    }
    case 'list_join_multi': {
      const ex = `"${name}" : [ " ", [ "str1", "str2"] ...]`;
      if (!isList) throw typeError(example(name, ex));
      if (len < 2) throw valueError(example(name, ex));
      return;
    }
    case 'cfn_split': {
      const ex = `"${name}" : [ ",", "str1,str2"]]`;
      if (typeof a === 'string' || isMap(a)) throw typeError(example(name, ex));
      if (len !== 2) throw valueError(example(name, ex));
      return;
    }
    case 'str_split':
      if (typeof a === 'string' || isMap(a)) {
        throw typeError(example(name, `"${name}" : [ ",", "apples,pears", <index>]`));
      }
      return;
    case 'resource_facade':
    case 'cfn_resource_facade': {
      const allowed =
        kind === 'resource_facade'
          ? ['metadata', 'deletion_policy', 'update_policy']
          : ['Metadata', 'DeletionPolicy', 'UpdatePolicy'];
      if (typeof a !== 'string' || !allowed.includes(a)) {
        throw valueError(
          `Incorrect arguments to "${name}" should be one of: ${allowed.join(', ')}`,
        );
      }
      return;
    }
    case 'repeat':
    case 'repeat_map':
    case 'repeat_nested':
      checkRepeat(kind, name, a, ctx);
      return;
    case 'yaql':
      checkYaql(name, a, ctx);
      return;
    case 'equals':
    case 'cfn_equals':
      if (!isList || len !== 2) {
        throw valueError(`Arguments to "${name}" must be of the form: [value_1, value_2]`);
      }
      return;
    case 'not':
      if (a === null || a === undefined) {
        throw valueError(`Argument to "${name}" must be a condition`);
      }
      return;
    case 'cfn_not':
      if (!isList || len !== 1) {
        throw valueError(`Arguments to "${name}" must be of the form: [condition]`);
      }
      return;
    case 'and':
    case 'or':
    case 'cfn_and':
    case 'cfn_or':
      if (!isList) throw valueError(`Arguments to "${name}" must be a list of conditions`);
      if (len < 2) {
        throw valueError(`The minimum number of condition arguments to "${name}" is 2.`);
      }
      return;
    case 'filter':
      if (!isList) throw typeError(`Argument to "${name}" must be a list`);
      if (len !== 2) {
        throw valueError(
          `"${name}" expected 2 arguments of the form [values, sequence] but got ${len} ` +
            'arguments instead',
        );
      }
      return;
    case 'contains':
      if (!isList || len === 0) {
        throw typeError(example(name, `"${name}" : [ "value1", [ "value1", "value2"]]`));
      }
      if (len !== 2) {
        throw valueError(`Arguments to "${name}" must be of the form: [value1, [value1, value2]]`);
      }
      return;
    case 'make_url':
      checkMakeUrl(name, a, ctx);
      return;
    case 'cfn_select':
      if (len !== 2) {
        throw valueError(`Arguments to "${name}" must be of the form [index, collection]`);
      }
      return;
    case 'cfn_member_list_to_map':
      if (len !== 3) {
        throw typeError(
          `Wrong Arguments try: "\n            {'Fn::MemberListToMap': ['Name', 'Value',\n` +
            `                                     ['.member.0.Name=key',\n` +
            `                                      '.member.0.Value=door']]}\n            "`,
        );
      }
      if (typeof (a as unknown[])[0] !== 'string') {
        throw typeError(`${name} Key Name must be a string`);
      }
      if (typeof (a as unknown[])[1] !== 'string') {
        throw typeError(`${name} Value Name must be a string`);
      }
      return;
    case 'cfn_find_in_map':
      if (len !== 3) {
        throw keyError(`not enough values to unpack (expected 3, got ${Math.max(len, 0)})`);
      }
      return;
    default:
  }
}

function isCallOf(v: unknown, ctx: CheckContext): boolean {
  return asCall(v, ctx.fns) !== null;
}

function checkRepeat(kind: FnKind, name: string, a: unknown, ctx: CheckContext): void {
  if (!isMap(a)) throw typeError(`Arguments to "${name}" must be a map`);
  if (!Object.hasOwn(a, 'for_each') || !Object.hasOwn(a, 'template')) {
    throw keyError(
      '"repeat" syntax should be repeat:\n' +
        '              template: This is %var%\n' +
        '              for_each:\n' +
        "                %var%: ['a', 'b', 'c']",
    );
  }
  if (kind === 'repeat_nested' && Object.hasOwn(a, 'permutations')) {
    if (typeof a['permutations'] !== 'boolean') {
      throw typeError(`"permutations" should be boolean type for ${name} function.`);
    }
  }
  const forEach = a['for_each'];
  if (!isCallOf(forEach, ctx) && !isMap(forEach)) {
    throw typeError(`The "for_each" argument to "${name}" must contain a map`);
  }
}

function checkYaql(name: string, a: unknown, ctx: CheckContext): void {
  if (!isMap(a)) throw typeError(`Arguments to "${name}" must be a map.`);
  const extra = Object.keys(a).some((k) => k !== 'expression' && k !== 'data');
  if (!Object.hasOwn(a, 'expression') || extra) {
    throw keyError(
      `"${name}" syntax should be ${name}:\n` +
        '              expression: $.data.var1.sum()\n' +
        '              data:\n' +
        '                var1: [3, 2, 1]',
    );
  }
  const e = a['expression'];
  if (!isCallOf(e, ctx) && typeof e !== 'string') {
    throw typeError(`The "expression" argument to ${name} must contain a string.`);
  }
}

const URL_KEYS = ['scheme', 'username', 'password', 'host', 'port', 'path', 'query', 'fragment'];

export function checkMakeUrlArgs(
  name: string,
  a: Record<string, unknown>,
  isFn: (v: unknown) => boolean,
): void {
  for (const k of URL_KEYS) {
    if (!Object.hasOwn(a, k)) continue;
    const v = a[k];
    if (isFn(v)) continue;
    if (k === 'query') {
      if (!isMap(v)) throw typeError(`The "query" argument to "${name}" must be a map`);
      return;
    }
    if (k === 'port') {
      let port = v;
      if (typeof port !== 'number' || !Number.isInteger(port)) {
        const s = typeof port === 'string' ? port.trim() : '';
        if (!/^[+-]?\d+$/.test(s)) {
          throw valueError(
            `Invalid URL port "${pyStrLite(v)}" for ${name} called with ${pyRepr(a)}`,
          );
        }
        port = Number(s);
      }
      if (!((port as number) > 0 && (port as number) <= 65535)) {
        throw valueError(`Invalid URL port ${String(port)}, must be in range 1-65535`);
      }
    } else if (typeof v !== 'string') {
      throw typeError(`The "${k}" argument to "${name}" must be a string`);
    }
  }
}

function pyStrLite(v: unknown): string {
  return typeof v === 'string' ? v : pyRepr(v);
}

function checkMakeUrl(name: string, a: unknown, ctx: CheckContext): void {
  if (!isMap(a)) throw typeError(`The arguments to "${name}" must be a map`);
  const invalid = Object.keys(a).filter((k) => !URL_KEYS.includes(k));
  if (invalid.length) throw valueError(`Invalid arguments to "${name}": ${invalid.join(', ')}`);
  checkMakeUrlArgs(name, a, (v) => isCallOf(v, ctx));
}
