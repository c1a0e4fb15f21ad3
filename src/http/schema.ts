import {
  Kind,
  TypeCompiler,
  ValueErrorType,
  type Static,
  type TSchema,
  type TypeCheck,
  type ValueError,
} from '../vendor/typebox.js';
import type { DomainError } from '../errors.js';
import { pyRepr } from './pyrepr.js';

export { Type, type Static, type TSchema } from '../vendor/typebox.js';

/**
 * One schema violation, described as Python's jsonschema describes it, so that each service can
 * print it in its own words (Nova and Cinder: "Invalid input for field/attribute name. Value:
 * None. None is not of type 'string'"; Keystone: "Invalid input for field 'name': ...").
 */
export interface SchemaViolation {
  /** Keys from the body's root to the offending value; for a missing or unexpected property, to its object. */
  path: string[];
  /** The offending value (for a missing or unexpected property, its object). */
  value: unknown;
  /** jsonschema's message for it. */
  message: string;
  /** The schema the value broke; a service may keep a field's own text in its `message` option. */
  schema: TSchema;
}

/** A service's wording of a violation: the domain error its API answers with. */
export type ViolationRenderer = (violation: SchemaViolation) => DomainError;

const compiled = new WeakMap<TSchema, TypeCheck<TSchema>>();

function checker<S extends TSchema>(schema: S): TypeCheck<S> {
  let check = compiled.get(schema);
  if (!check) {
    check = TypeCompiler.Compile(schema);
    compiled.set(schema, check);
  }
  return check as TypeCheck<S>;
}

/**
 * Checks a request body or query against its declared schema and returns it typed; the first
 * violation becomes the service's 400. Schemas are compiled once, on first use.
 */
export function parse<S extends TSchema>(
  schema: S,
  value: unknown,
  render: ViolationRenderer,
): Static<S> {
  const check = checker(schema);
  if (check.Check(value)) return value;
  const first = check.Errors(value).First();
  throw render(first ? describe(first, value) : fallback(schema, value));
}

function fallback(schema: TSchema, value: unknown): SchemaViolation {
  return { path: [], value, message: `${pyRepr(value)} is not valid`, schema };
}

function pointer(path: string): string[] {
  return path === ''
    ? []
    : path
        .slice(1)
        .split('/')
        .map((p) => p.replaceAll('~1', '/').replaceAll('~0', '~'));
}

function at(root: unknown, path: string[]): unknown {
  let v = root;
  for (const key of path) {
    if (typeof v !== 'object' || v === null || !Object.hasOwn(v, key)) return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

/** jsonschema's type names for a schema, as its "is not of type" message lists them. */
function typeNames(schema: TSchema): string[] {
  if (schema[Kind] === 'Union') return (schema.anyOf as TSchema[]).flatMap(typeNames);
  if (schema[Kind] === 'Literal') return [];
  const t = schema.type as string | string[] | undefined;
  return t === undefined ? [] : Array.isArray(t) ? t : [t];
}

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function quoted(names: string[]): string {
  return names.map((n) => `'${n}'`).join(', ');
}

/** Translates TypeBox's error into the path, value and message jsonschema would give. */
function describe(error: ValueError, root: unknown): SchemaViolation {
  const path = pointer(error.path);
  const v = error.value;
  const s = error.schema;
  const r = pyRepr(v);
  const parent = path.slice(0, -1);
  const key = path.at(-1) ?? '';
  switch (error.type) {
    case ValueErrorType.ObjectRequiredProperty:
      return {
        path: parent,
        value: at(root, parent),
        message: `'${key}' is a required property`,
        schema: s,
      };
    case ValueErrorType.ObjectAdditionalProperties: {
      const object = at(root, parent) as Record<string, unknown>;
      const known = (s.properties ?? {}) as Record<string, unknown>;
      const extra = Object.keys(object ?? {}).filter((k) => !Object.hasOwn(known, k));
      const names = (extra.length > 0 ? extra : [key]).map((k) => pyRepr(k)).join(', ');
      const verb = extra.length > 1 ? 'were' : 'was';
      return {
        path: parent,
        value: object,
        message: `Additional properties are not allowed (${names} ${verb} unexpected)`,
        schema: s,
      };
    }
    case ValueErrorType.StringMaxLength:
    case ValueErrorType.ArrayMaxItems:
      return { path, value: v, message: `${r} is too long`, schema: s };
    case ValueErrorType.StringMinLength:
    case ValueErrorType.ArrayMinItems:
      return { path, value: v, message: `${r} is too short`, schema: s };
    case ValueErrorType.StringPattern:
      return { path, value: v, message: `${r} does not match ${pyRepr(s.pattern)}`, schema: s };
    case ValueErrorType.IntegerMinimum:
    case ValueErrorType.NumberMinimum:
      return {
        path,
        value: v,
        message: `${r} is less than the minimum of ${String(s.minimum)}`,
        schema: s,
      };
    case ValueErrorType.IntegerMaximum:
    case ValueErrorType.NumberMaximum:
      return {
        path,
        value: v,
        message: `${r} is greater than the maximum of ${String(s.maximum)}`,
        schema: s,
      };
    case ValueErrorType.ObjectMinProperties:
      return { path, value: v, message: `${r} does not have enough properties`, schema: s };
    case ValueErrorType.ObjectMaxProperties:
      return { path, value: v, message: `${r} has too many properties`, schema: s };
    case ValueErrorType.ArrayUniqueItems:
      return { path, value: v, message: `${r} has non-unique elements`, schema: s };
    case ValueErrorType.Literal:
      return { path, value: v, message: `${r} is not one of [${pyRepr(s.const)}]`, schema: s };
    case ValueErrorType.Union: {
      const options = s.anyOf as TSchema[];
      // A value of one option's type broke that option's other rules: jsonschema, which sees
      // `type: [string, null]` as one schema, names that rule ("'abcd' is too long").
      const type = jsonType(v);
      const same = options.filter((o) => {
        const names = typeNames(o);
        return names.includes(type) || (type === 'integer' && names.includes('number'));
      });
      const inner = same.length === 1 ? checker(same[0]!).Errors(v).First() : undefined;
      if (inner) {
        const found = describe(inner, v);
        return { ...found, path: [...path, ...found.path] };
      }
      if (options.every((o) => o[Kind] === 'Literal')) {
        const values = options.map((o) => pyRepr(o.const)).join(', ');
        return { path, value: v, message: `${r} is not one of [${values}]`, schema: s };
      }
      const names = typeNames(s);
      if (names.length === options.length) {
        return { path, value: v, message: `${r} is not of type ${quoted(names)}`, schema: s };
      }
      return {
        path,
        value: v,
        message: `${r} is not valid under any of the given schemas`,
        schema: s,
      };
    }
    default: {
      const names = typeNames(s);
      const message =
        names.length > 0 ? `${r} is not of type ${quoted(names)}` : `${r} is not valid`;
      return { path, value: v, message, schema: s };
    }
  }
}
