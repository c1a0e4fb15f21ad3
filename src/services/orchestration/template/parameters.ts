/**
 * Parameter values (heat/engine/parameters.py): the request's values, then the environment's
 * `parameters`, `parameter_defaults` and the template default; typed, checked against each
 * constraint with Heat's texts, plus the pseudo parameters.
 */
import { pyRepr, pyStr } from '../../../http/pyrepr.js';
import { schemaError } from './parameter-schema.js';
import { HeatFault, validationFailed } from '../errors.js';
import type { Environment } from './environment.js';
import { pyEquals, pyJsonDumps, pyRegExp, pyScalarStr } from './pyvalue.js';
import type { Template } from './template.js';
import type { Constraint, CustomConstraintCheck, ParameterSchema } from './types.js';

const TRUE_WORDS = ['1', 't', 'true', 'on', 'y', 'yes'];
const FALSE_WORDS = ['0', 'f', 'false', 'off', 'n', 'no'];

function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return Number(v);
  if (typeof v !== 'string') {
    throw validationFailed(
      `int() argument must be a string, a bytes-like object or a real number, not '${v === null ? 'NoneType' : Array.isArray(v) ? 'list' : 'dict'}'`,
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
  throw validationFailed(`Unrecognized value '${pyScalarStr(v)}', acceptable values are: ${words}`);
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

/** Python's % (the result takes the divisor's sign). */
function pyMod(n: number, step: number): number {
  return n - step * Math.floor(n / step);
}

/**
 * One constraint. `typed` is the converted value; `shown` is what Heat's message prints (the
 * value as given for strings, numbers and booleans, the parsed one for lists and JSON).
 */
async function checkConstraint(
  s: ParameterSchema,
  c: Constraint,
  typed: unknown,
  shown: unknown,
  check: CustomConstraintCheck,
): Promise<void> {
  let error: string | null = null;
  switch (c.kind) {
    case 'range':
    case 'length': {
      const { min, max } = c.value as { min?: number; max?: number };
      const n = c.kind === 'length' ? length(typed) : (typed as number);
      if ((min !== undefined && n < min) || (max !== undefined && n > max)) {
        const range = `(min: ${fmtNum(min)}, max: ${fmtNum(max)})`;
        error =
          c.kind === 'length'
            ? `length (${n}) is out of range ${range}`
            : `${pyScalarStr(shown)} is out of range ${range}`;
      }
      break;
    }
    case 'modulo': {
      const { step, offset } = c.value as { step: number; offset: number };
      if (pyMod(typed as number, step) !== offset) {
        error = `${pyScalarStr(shown)} is not a multiple of ${step} with an offset of ${offset}`;
      }
      break;
    }
    case 'allowed_values': {
      const allowed = c.value as unknown[];
      const ok = Array.isArray(typed)
        ? typed.every((x) => allowed.some((a) => pyEquals(a, x)))
        : allowed.some((a) => pyEquals(convertQuiet(s, a), typed));
      if (!ok) {
        const list = allowed.map((a) => pyJsonDumps(a)).join(', ');
        error = `${pyJsonDumps(shown)} is not an allowed value [${list}]`;
      }
      break;
    }
    case 'allowed_pattern': {
      const p = c.value as string;
      const text = pyScalarStr(typed);
      const m = pyRegExp(p).exec(text);
      if (!m || m[0].length !== text.length) error = `"${text}" does not match pattern "${p}"`;
      break;
    }
    case 'custom_constraint': {
      const msg = await check(c.value as string, typed);
      if (msg !== null) error = `Error validating value '${pyScalarStr(shown)}': ${msg}`;
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

/** Schema.validate: the template default must meet the constraints (custom ones aside). */
async function validateDefault(s: ParameterSchema): Promise<void> {
  if (s.default === null || s.default === undefined) return;
  try {
    let d = s.default;
    if (s.type === 'comma_delimited_list') {
      d = Array.isArray(d) ? d.map((x) => pyScalarStr(x)) : toList(d);
    }
    for (const c of s.constraints) {
      if (c.kind === 'custom_constraint') continue;
      const typed = s.type === 'number' ? toNumber(d) : s.type === 'json' ? toJson(d) : d;
      await checkConstraint(s, c, typed, d, async () => null);
    }
  } catch (e) {
    if (e instanceof HeatFault && e.type === 'StackValidationFailed') {
      throw schemaError(`Invalid default ${pyStr(s.default)} (${e.message})`);
    }
    throw e;
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
  // Pseudo parameters come first, as Heat's Parameters map holds them.
  if (t.version.key === 'heat_template_version') {
    out.set('OS::stack_id', pseudo.stackId);
    out.set('OS::project_id', pseudo.projectId);
    if (pseudo.stackName) out.set('OS::stack_name', pseudo.stackName);
  } else {
    const arn = `arn:openstack:heat::${pseudo.projectId}:stacks/${pseudo.stackName}/${pseudo.stackId}`;
    out.set('AWS::StackId', arn);
    if (pseudo.stackName) {
      out.set('AWS::StackName', pseudo.stackName);
      out.set('AWS::Region', 'ap-southeast-1');
    }
  }
  const pick = (o: Record<string, unknown>, k: string): unknown =>
    Object.hasOwn(o, k) && o[k] !== null ? o[k] : undefined;
  for (const s of t.parameters) {
    try {
      await validateDefault(s);
      const v =
        pick(given, s.name) ??
        pick(env.parameters, s.name) ??
        pick(env.parameter_defaults, s.name) ??
        s.default ??
        undefined;
      if (v === undefined || v === null) {
        throw new HeatFault('UserParameterMissing', `The Parameter (${s.name}) was not provided.`);
      }
      const typed = convert(s, v);
      const shown = s.type === 'comma_delimited_list' || s.type === 'json' ? typed : v;
      for (const c of s.constraints) await checkConstraint(s, c, typed, shown, check);
      out.set(s.name, typed);
    } catch (e) {
      if (
        e instanceof HeatFault &&
        (e.type === 'StackValidationFailed' || e.type === 'InvalidSchemaError')
      ) {
        throw new HeatFault(e.type, `Parameter '${s.name}' is invalid: ${e.message}`);
      }
      throw e;
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

/**
 * On update, parameters marked `immutable` in the new template must keep their values
 * (Parameters.immutable_params_modified): the new value is the request's, else the new one.
 */
export function checkImmutableParameters(
  oldValues: ReadonlyMap<string, unknown>,
  newTemplate: Template,
  newValues: ReadonlyMap<string, unknown>,
  given: Record<string, unknown>,
): void {
  const changed: string[] = [];
  for (const s of newTemplate.parameters) {
    if (!s.immutable || !oldValues.has(s.name)) continue;
    const next = Object.hasOwn(given, s.name) ? given[s.name] : newValues.get(s.name);
    if (!pyEquals(oldValues.get(s.name), next)) changed.push(s.name);
  }
  if (changed.length) {
    throw new HeatFault(
      'ImmutableParameterModified',
      `The following parameters are immutable and may not be updated: ${changed.join(', ')}`,
    );
  }
}
