/**
 * Parameter schemas from the `parameters` section (heat/engine/parameters.py,
 * hot/parameters.py, constraints.py): HOT and CFN spellings, constraints and their checks.
 */
import { pyRepr } from '../../../http/pyrepr.js';
import { HeatFault } from '../errors.js';
import { isMap, pyRegExp } from './pyvalue.js';
import type { Constraint, ParameterSchema, ParameterType } from './types.js';
import type { VersionInfo } from './versions.js';

export function schemaError(message: string): HeatFault {
  return new HeatFault('InvalidSchemaError', message);
}

const HOT_TYPES: ParameterType[] = ['string', 'number', 'comma_delimited_list', 'json', 'boolean'];
const CFN_TYPES = new Map<string, ParameterType>([
  ['String', 'string'],
  ['Number', 'number'],
  ['CommaDelimitedList', 'comma_delimited_list'],
  ['Json', 'json'],
  ['Boolean', 'boolean'],
]);
/** Which types each constraint applies to (Constraint.valid_types). */
const VALID_FOR: Record<Constraint['kind'], ParameterType[]> = {
  range: ['number'],
  modulo: ['number'],
  length: ['string', 'comma_delimited_list', 'json'],
  allowed_values: ['string', 'number', 'boolean', 'comma_delimited_list'],
  allowed_pattern: ['string'],
  custom_constraint: ['string', 'number', 'boolean', 'comma_delimited_list'],
};
const CLASS_NAME: Record<Constraint['kind'], string> = {
  range: 'Range',
  modulo: 'Modulo',
  length: 'Length',
  allowed_values: 'AllowedValues',
  allowed_pattern: 'AllowedPattern',
  custom_constraint: 'CustomConstraint',
};

function num(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return v;
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  if (Number.isNaN(n)) throw schemaError(`could not convert string to float: ${pyRepr(v)}`);
  return n;
}

function checkDict(d: unknown, allowed: string[], entity: string): Record<string, unknown> {
  if (!isMap(d)) throw schemaError(`Invalid ${entity}, expected a mapping`);
  for (const k of Object.keys(d)) {
    if (!allowed.includes(k)) throw schemaError(`Invalid key '${k}' for ${entity}`);
  }
  return d;
}

function rangeOf(
  kind: 'range' | 'length',
  d: Record<string, unknown>,
  desc: string | null,
): Constraint {
  const min = num(d['min']);
  const max = num(d['max']);
  if (min === null && max === null) {
    throw schemaError(`A ${kind} constraint must have a min value and/or a max value specified.`);
  }
  if (kind === 'length' && [min, max].some((x) => x !== null && !Number.isInteger(x))) {
    throw schemaError('min/max length must be integral');
  }
  const value: Record<string, number> = {};
  if (min !== null) value['min'] = min;
  if (max !== null) value['max'] = max;
  return { kind, value, description: desc };
}

function hotConstraint(c: unknown, info: VersionInfo): Constraint {
  const keys = [
    'description',
    'length',
    'range',
    'modulo',
    'allowed_values',
    'allowed_pattern',
    'custom_constraint',
  ];
  const d = checkDict(c, keys, 'parameter constraints');
  const desc = typeof d['description'] === 'string' ? d['description'] : null;
  if (Object.hasOwn(d, 'modulo') && info.paramSchema !== 'hot') {
    const m = checkDict(d['modulo'], ['step', 'offset'], 'modulo constraint');
    const step = num(m['step']);
    const offset = num(m['offset']);
    if (step === null || offset === null) {
      throw schemaError(
        'A modulo constraint must have a step value and an offset value specified.',
      );
    }
    if (!Number.isInteger(step) || !Number.isInteger(offset))
      throw schemaError('step/offset must be integer');
    if (step === 0) throw schemaError('step cannot be 0.');
    if (Math.abs(offset) >= Math.abs(step)) {
      throw schemaError('offset must be smaller (by absolute value) than step.');
    }
    if (step * offset < 0)
      throw schemaError('step and offset must be both positive or both negative.');
    return { kind: 'modulo', value: { step, offset }, description: desc };
  }
  if (Object.hasOwn(d, 'range'))
    return rangeOf('range', checkDict(d['range'], ['min', 'max'], 'range constraint'), desc);
  if (Object.hasOwn(d, 'length'))
    return rangeOf('length', checkDict(d['length'], ['min', 'max'], 'length constraint'), desc);
  if (Object.hasOwn(d, 'allowed_values')) {
    const v = d['allowed_values'];
    if (!Array.isArray(v)) throw schemaError('AllowedValues must be a list');
    return { kind: 'allowed_values', value: v, description: desc };
  }
  if (Object.hasOwn(d, 'allowed_pattern')) return pattern(d['allowed_pattern'], desc);
  if (Object.hasOwn(d, 'custom_constraint')) {
    return { kind: 'custom_constraint', value: d['custom_constraint'], description: desc };
  }
  throw schemaError('No constraint expressed');
}

function pattern(p: unknown, desc: string | null): Constraint {
  if (typeof p !== 'string') throw schemaError('AllowedPattern must be a string');
  try {
    pyRegExp(p);
  } catch {
    throw schemaError(`Invalid pattern ${pyRepr(p)}`);
  }
  return { kind: 'allowed_pattern', value: p, description: desc };
}

function hotSchema(name: string, d: Record<string, unknown>, info: VersionInfo): ParameterSchema {
  const keys = [
    'type',
    'description',
    'default',
    'schema',
    'constraints',
    'hidden',
    'label',
    'immutable',
  ];
  if (info.paramSchema === 'hot20180302') keys.push('tags');
  checkDict(d, keys, `parameter (${name})`);
  if (!Object.hasOwn(d, 'type')) throw schemaError(`Missing parameter type for parameter: ${name}`);
  const tags = d['tags'] ?? [];
  if (!Array.isArray(tags))
    throw schemaError(`Tags property should be a list for parameter: ${name}`);
  const type = d['type'];
  if (!HOT_TYPES.includes(type as ParameterType))
    throw schemaError(`Invalid type (${pyStr(type)})`);
  const cs = d['constraints'];
  if (cs !== undefined && cs !== null && !Array.isArray(cs)) {
    throw schemaError(`Invalid parameter constraints for parameter ${name}, expected a list`);
  }
  return {
    name,
    type: type as ParameterType,
    label: typeof d['label'] === 'string' ? d['label'] : null,
    description: typeof d['description'] === 'string' ? d['description'] : null,
    default: d['default'] ?? null,
    hidden: pyTruthy(d['hidden']),
    immutable: pyTruthy(d['immutable']),
    tags: tags.map((t) => pyStr(t)),
    constraints: (cs ?? []).map((c) => hotConstraint(c, info)),
  };
}

/** Python's bool(x): Heat tests `hidden` and `immutable` for truth, not for True. */
function pyTruthy(v: unknown): boolean {
  if (Array.isArray(v)) return v.length > 0;
  if (isMap(v)) return Object.keys(v).length > 0;
  return Boolean(v);
}

function pyStr(v: unknown): string {
  return typeof v === 'string' ? v : pyRepr(v);
}

function cfnSchema(name: string, d: Record<string, unknown>): ParameterSchema {
  const keys = [
    'Type',
    'Default',
    'NoEcho',
    'AllowedValues',
    'AllowedPattern',
    'MaxLength',
    'MinLength',
    'MaxValue',
    'MinValue',
    'Description',
    'ConstraintDescription',
    'Label',
  ];
  checkDict(d, keys, `parameter (${name})`);
  if (!Object.hasOwn(d, 'Type')) throw schemaError(`Missing parameter type for parameter: ${name}`);
  const type = CFN_TYPES.get(d['Type'] as string);
  if (!type) throw schemaError(`Invalid type (${pyStr(d['Type'])})`);
  const desc = typeof d['ConstraintDescription'] === 'string' ? d['ConstraintDescription'] : null;
  const constraints: Constraint[] = [];
  if (Object.hasOwn(d, 'MinValue') || Object.hasOwn(d, 'MaxValue')) {
    constraints.push(rangeOf('range', { min: d['MinValue'], max: d['MaxValue'] }, desc));
  }
  if (Object.hasOwn(d, 'MinLength') || Object.hasOwn(d, 'MaxLength')) {
    constraints.push(rangeOf('length', { min: d['MinLength'], max: d['MaxLength'] }, desc));
  }
  if (Object.hasOwn(d, 'AllowedValues')) {
    if (!Array.isArray(d['AllowedValues'])) throw schemaError('AllowedValues must be a list');
    constraints.push({ kind: 'allowed_values', value: d['AllowedValues'], description: desc });
  }
  if (Object.hasOwn(d, 'AllowedPattern')) constraints.push(pattern(d['AllowedPattern'], desc));
  return {
    name,
    type,
    label: typeof d['Label'] === 'string' ? d['Label'] : null,
    description: typeof d['Description'] === 'string' ? d['Description'] : null,
    default: d['Default'] ?? null,
    hidden: pyStr(d['NoEcho'] ?? 'false').toLowerCase() === 'true',
    immutable: false,
    tags: [],
    constraints,
  };
}

/** Parse the section, checking each schema and that its constraints fit its type. */
export function parseParameterSchemas(section: unknown, info: VersionInfo): ParameterSchema[] {
  if (section === null || section === undefined) return [];
  if (!isMap(section)) throw schemaError('Invalid parameters, expected a mapping');
  return Object.keys(section).map((name) => {
    const d = section[name];
    if (!isMap(d)) throw schemaError(`Invalid parameter (${name}), expected a mapping`);
    const s = info.type === 'hot' ? hotSchema(name, d, info) : cfnSchema(name, d);
    // Schema.validate, which Parameter.validate wraps with the parameter's name.
    for (const c of s.constraints) {
      if (!VALID_FOR[c.kind].includes(s.type)) {
        const type = info.type === 'hot' ? s.type : cfnTypeName(s.type);
        throw schemaError(
          `Parameter '${name}' is invalid: ${CLASS_NAME[c.kind]} constraint invalid for ${type}`,
        );
      }
    }
    return s;
  });
}

function cfnTypeName(t: ParameterType): string {
  for (const [k, v] of CFN_TYPES) if (v === t) return k;
  return t;
}
