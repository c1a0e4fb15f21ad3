import { versionBelow, type Microversion } from '../../../http/microversion.js';
import { parse, Type, type Static, type TSchema } from '../../../http/schema.js';
import { invalidBody, invalidField, invalidQuery } from '../errors.js';

/** A query string as Nova's validator sees it (webob's dict_of_lists): every value a list. */
export type QueryLists = Record<string, string[]>;

/**
 * Fastify's parsed query as lists, in a null-prototype object so that a parameter named
 * `__proto__` or `constructor` is a parameter like any other.
 */
export function queryLists(query: unknown): QueryLists {
  const out = Object.create(null) as QueryLists;
  if (typeof query !== 'object' || query === null) return out;
  for (const [key, value] of Object.entries(query as Record<string, unknown>)) {
    out[key] = (Array.isArray(value) ? value : [value]).map((v) =>
      typeof v === 'string' ? v : '',
    );
  }
  return out;
}

/** A body checked against its schema; a violation is Nova's 400. */
export function parseBody<S extends TSchema>(schema: S, body: unknown): Static<S> {
  return parse(schema, body ?? null, invalidBody);
}

/** A query checked against its schema; a violation is Nova's query 400. */
export function parseQuery<S extends TSchema>(schema: S, query: unknown): Static<S> {
  return parse(schema, queryLists(query), invalidQuery);
}

/**
 * The schema a microversion validates with: `bySince` lists [first version, schema] in
 * ascending order; the last one at or below the request's version applies.
 */
export function since<S>(mv: Microversion, bySince: ReadonlyArray<readonly [Microversion, S]>): S {
  let chosen = bySince[0]![1];
  for (const [from, schema] of bySince) if (!versionBelow(mv, from)) chosen = schema;
  return chosen;
}

/** The first value of a query parameter, as Nova's handlers read most of them. */
export function firstOf<T extends string>(values: T[] | undefined): T | undefined {
  return values?.[0];
}

/** multi_params({'type': 'string'}) of nova/api/validation/parameter_types.py. */
export const StringParam = Type.Optional(Type.Array(Type.String()));

/** multi_params(non_negative_integer): strings of digits (the query has no other type). */
export const NonNegativeIntParam = Type.Optional(
  Type.Array(Type.String({ pattern: '^[0-9]*$', minLength: 1 })),
);

/**
 * Nova's flavor and quota integers: an integer, or a string of digits whose value Nova's
 * validator compares with the bounds (validators.py _validate_minimum/_maximum) after the
 * pattern, as this does. Beyond 2^53 the value is kept exact for the message.
 */
export function boundedInt(
  field: string,
  value: number | string,
  min: number,
  max: number,
): number {
  if (typeof value === 'number') return value;
  const big = BigInt(value);
  if (big < BigInt(min))
    throw invalidField(field, big.toString(), `${big} is less than the minimum of ${min}`);
  if (big > BigInt(max))
    throw invalidField(field, big.toString(), `${big} is greater than the maximum of ${max}`);
  return Number(big);
}
