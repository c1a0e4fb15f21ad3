/**
 * Parameter values (heat/engine/parameters.py): the request's values, then the environment's
 * `parameters`, `parameter_defaults` and the template default; typed, checked against each
 * constraint with Heat's texts, plus the pseudo parameters.
 */
import { pyRepr } from '../../../http/pyrepr.js';
import { HeatFault, validationFailed } from '../errors.js';
import type { Environment } from './environment.js';
import { pyJsonDumps, pyScalarStr } from './pyvalue.js';
import type { Template } from './template.js';
import type { Constraint, CustomConstraintCheck, ParameterSchema } from './types.js';

const TRUE_WORDS = ['1', 't', 'true', 'on', 'y', 'yes'];
const FALSE_WORDS = ['0', 'f', 'false', 'off', 'n', 'no'];

function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return Number(v);
  if (typeof v !== 'string') {
    throw validationFailed(
      `float() argument must be a string or a real number, not '${v === null ? 'NoneType' : Array.isArray(v) ? 'list' : 'dict'}'`,
    );
  }
  const s = v.trim();
  if (/^[+-]?\d+$/.test(s.replace(/_/g, ''))) return Number(s.replace(/_/g, ''));
  const f = /^[+-]?(\d+\.?\d*([eE][+-]?\d+)?|\.\d+([eE][+-]?\d+)?|inf(inity)?|nan)$/i.test(s)
    ? Number(s.replace(/inf(inity)?/i, 'Infinity'))
    : NaN;
  if (Number.isNaN(f) && !/nan/i.test(s))
    throw validationFailed(`could not convert string to float: ${pyRepr(v)}`);
  return f;
}

function toBool(v: unknown): boolean {
  const s = pyScalarStr(v).trim().toLowerCase();
  if (TRUE_WORDS.includes(s)) return true;
  if (FALSE_WORDS.includes(s)) return false;
  const words = [...TRUE_WORDS, ...FALSE_WORDS]
    .sort()
    .map((w) => `'${w}'`)
    .join(', ');
  throw validationFailed(
    `Unrecognized value ${pyRepr(pyScalarStr(v))}, acceptable values are: ${words}`,
  );
}

function toList(v: unknown): string[] {
  if (Array.isArray(v)) return v.map((x) => pyScalarStr(x));
  if (typeof v !== 'string')
    throw validationFailed(`Value must be a comma-delimited list string: 'split'`);
  return v === '' ? [] : v.split(',');
}

function toJson(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  if (!v) return v;
  try {
    return JSON.parse(v);
  } catch (e) {
    throw validationFailed(`Value must be valid JSON: ${(e as Error).message}`);
  }
}

/** The value in the parameter's type, or StackValidationFailed with Heat's text. */
function convert(s: ParameterSchema, v: unknown): unknown {
  switch (s.type) {
    case 'number':
      return toNumber(v);
    case 'boolean':
      return toBool(v);
    case 'comma_delimited_list':
      return toList(v);
    case 'json':
      return toJson(v);
    default:
      return typeof v === 'string' ? v : pyScalarStr(v);
  }
}

function length(v: unknown): number {
  if (typeof v === 'string') return [...v].length;
  if (Array.isArray(v)) return v.length;
  if (v && typeof v === 'object') return Object.keys(v).length;
  return 0;
}

function fmtNum(n: unknown): string {
  return n === undefined || n === null ? 'None' : pyRepr(n);
}

async function checkConstraint(
  s: ParameterSchema,
  c: Constraint,
  v: unknown,
  check: CustomConstraintCheck,
): Promise<void> {
  let error: string | null = null;
  switch (c.kind) {
    case 'range':
    case 'length': {
      const { min, max } = c.value as { min?: number; max?: number };
      const n = c.kind === 'length' ? length(v) : (v as number);
      if ((min !== undefined && n < min) || (max !== undefined && n > max)) {
        error =
          c.kind === 'length'
            ? `length (${n}) is out of range (min: ${fmtNum(min)}, max: ${fmtNum(max)})`
            : `${pyScalarStr(v)} is out of range (min: ${fmtNum(min)}, max: ${fmtNum(max)})`;
      }
      break;
    }
    case 'modulo': {
      const { step, offset } = c.value as { step: number; offset: number };
      const n = v as number;
      const mod = ((n % step) + step) % step;
      if (
        mod !== ((offset % step) + step) % step ||
        (step > 0 ? mod : mod - step) !== (step > 0 ? offset : offset - step)
      ) {
        error = `${pyScalarStr(v)} is not a multiple of ${step} with an offset of ${offset}`;
      }
      break;
    }
    case 'allowed_values': {
      const allowed = c.value as unknown[];
      const norm = (x: unknown): unknown =>
        s.type === 'comma_delimited_list' ? x : convertQuiet(s, x);
      const ok = Array.isArray(v)
        ? v.every(
            (x) =>
              allowed.some((a) => pyScalarStr(a) === pyScalarStr(x) && typeof a === 'string') ||
              allowed.includes(x),
          )
        : allowed.some((a) => norm(a) === norm(v));
      if (!ok) {
        const list = allowed.map((a) => pyJsonDumps(a)).join(', ');
        error = `${pyJsonDumps(v)} is not an allowed value [${list}]`;
      }
      break;
    }
    case 'allowed_pattern': {
      const p = c.value as string;
      const m = new RegExp(`^(?:${p})`, 'u').exec(v as string);
      if (!m || m[0].length !== (v as string).length)
        error = `"${v as string}" does not match pattern "${p}"`;
      break;
    }
    case 'custom_constraint': {
      const name = c.value as string;
      const msg = await check(name, v);
      if (msg !== null) error = `Error validating value ${pyRepr(pyScalarStr(v))}: ${msg}`;
      break;
    }
  }
  if (error !== null) throw validationFailed(c.description ?? error);
}

function convertQuiet(s: ParameterSchema, v: unknown): unknown {
  try {
    return s.type === 'number' ? toNumber(v) : s.type === 'boolean' ? toBool(v) : pyScalarStr(v);
  } catch {
    return v;
  }
}

export interface PseudoParams {
  stackId: string;
  stackName: string;
  projectId: string;
  region: string;
}

export async function validateParameters(
  t: Template,
  given: Record<string, unknown>,
  env: Environment,
  check: CustomConstraintCheck,
  pseudo: PseudoParams,
  opts: { strict: boolean },
): Promise<Map<string, unknown>> {
  const names = new Set(t.parameters.map((p) => p.name));
  if (opts.strict) {
    for (const k of [...Object.keys(env.parameters), ...Object.keys(given)]) {
      if (!names.has(k))
        throw new HeatFault(
          'UnknownUserParameter',
          `The Parameter (${k}) was not defined in template.`,
        );
    }
  }
  const out = new Map<string, unknown>();
  const pick = (o: Record<string, unknown>, k: string): unknown =>
    Object.hasOwn(o, k) ? o[k] : undefined;
  for (const s of t.parameters) {
    let v = pick(given, s.name) ?? pick(env.parameters, s.name);
    if (v === undefined || v === null)
      v = pick(env.parameter_defaults, s.name) ?? s.default ?? undefined;
    if (v === undefined || v === null) {
      throw new HeatFault('UserParameterMissing', `The Parameter (${s.name}) was not provided.`);
    }
    try {
      const typed = convert(s, v);
      for (const c of s.constraints) await checkConstraint(s, c, typed, check);
      out.set(s.name, typed);
    } catch (e) {
      if (e instanceof HeatFault && e.type === 'StackValidationFailed') {
        throw validationFailed(`Parameter '${s.name}' is invalid: ${e.message}`);
      }
      throw e;
    }
  }
  if (t.version.key === 'heat_template_version') {
    out.set('OS::stack_id', pseudo.stackId);
    out.set('OS::project_id', pseudo.projectId);
    if (pseudo.stackName) out.set('OS::stack_name', pseudo.stackName);
  } else {
    out.set(
      'AWS::StackId',
      `arn:openstack:heat::${pseudo.projectId}:stacks/${pseudo.stackName}/${pseudo.stackId}`,
    );
    if (pseudo.stackName) {
      out.set('AWS::StackName', pseudo.stackName);
      out.set('AWS::Region', 'ap-southeast-1');
    }
  }
  return out;
}

/** `parameters` of `stack show`: str() of each value, lists joined by commas, JSON dumped. */
export function parametersForShow(
  t: Template,
  values: Map<string, unknown>,
): Record<string, string> {
  const out: Record<string, string> = {};
  const hidden = new Set(t.parameters.filter((p) => p.hidden).map((p) => p.name));
  const types = new Map(t.parameters.map((p) => [p.name, p.type]));
  for (const [k, v] of values) {
    let text: string;
    if (hidden.has(k)) text = '******';
    else if (types.get(k) === 'comma_delimited_list' && Array.isArray(v)) text = v.join(',');
    else if (types.get(k) === 'json') text = pyJsonDumps(v);
    else text = pyScalarStr(v);
    Object.defineProperty(out, k, {
      value: text,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}
