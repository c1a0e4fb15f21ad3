import { isDeepStrictEqual } from 'node:util';
import type { RequestContext } from '../../../context.js';
import { isJsonObject } from '../../../http/input.js';
import { pyStr } from '../../../http/pyrepr.js';
import { badRequest, NeutronFault } from '../errors.js';

/**
 * One attribute of a Neutron resource, as Neutron's attribute maps declare it
 * (neutron_lib/api/definitions): whether a POST or PUT may set it, its default (none: required
 * on POST), how a body value is converted and validated, and how it filters and sorts lists.
 * Each resource declares its map once; routes parse bodies and queries through it, so the
 * domain gets converted, validated values.
 */
export interface Attribute {
  post?: boolean;
  put?: boolean;
  /** The value when a POST leaves it out; `undefined` with `required` unset means "unset". */
  default?: unknown;
  required?: boolean;
  /** convert_to: turns the body value into the typed one; throws InvalidInput. */
  convert?: (value: unknown) => unknown;
  /** validate: the reason the value is not acceptable, or undefined. */
  validate?: (value: unknown) => string | undefined;
  /** How a query value filters the list; absent: not a filter. */
  filter?: (text: string) => unknown;
  /** The attribute orders lists (sort_key). */
  sort?: boolean;
  /** Only an admin may set it (Neutron's policy for provider:*, router:external, ...). */
  adminOnly?: boolean;
}

export type AttributeMap = Readonly<Record<string, Attribute>>;

const PROJECT_KEYS = ['project_id', 'tenant_id'];

/** The resource's body: `{"network": {...}}` must hold an object under its key. */
function bodyOf(body: unknown, resource: string): Record<string, unknown> {
  if (
    body === undefined ||
    body === null ||
    (isJsonObject(body) && Object.keys(body).length === 0)
  ) {
    throw badRequest('Resource body required');
  }
  if (!isJsonObject(body)) throw badRequest('Body contains invalid data');
  const inner = Object.hasOwn(body, resource) ? body[resource] : undefined;
  if (inner === undefined) throw badRequest(`Unable to find '${resource}' in request body`);
  if (!isJsonObject(inner)) {
    throw badRequest(`Object '${resource}' contains invalid data`);
  }
  return inner;
}

function checkValue(name: string, attr: Attribute, raw: unknown): unknown {
  const value = attr.convert ? attr.convert(raw) : raw;
  const reason = attr.validate?.(value);
  if (reason !== undefined) throw badRequest(`Invalid input for ${name}. Reason: ${reason}.`);
  return value;
}

function checkKnown(map: AttributeMap, fields: Record<string, unknown>): void {
  const unknown = Object.keys(fields).filter(
    (k) => !Object.hasOwn(map, k) && !PROJECT_KEYS.includes(k),
  );
  if (unknown.length > 0) {
    throw badRequest(`Unrecognized attribute(s) '${unknown.map((k) => pyStr(k)).join(', ')}'`);
  }
}

/**
 * The project a POST creates for: the caller's, unless an admin names another. A member naming
 * another project is refused as Neutron refuses it.
 */
function ownerOf(ctx: RequestContext, fields: Record<string, unknown>): string {
  const named = PROJECT_KEYS.map((k) => fields[k]).filter((v) => v !== undefined);
  for (const v of named) {
    if (typeof v !== 'string' || v.length > 255) {
      throw badRequest(
        `Invalid input for project_id. Reason: '${pyStr(v)}' is not a valid string.`,
      );
    }
  }
  if (named.length === 2 && named[0] !== named[1]) {
    throw badRequest("'project_id' and 'tenant_id' do not match");
  }
  const project = (named[0] as string | undefined) ?? ctx.projectId ?? '';
  if (project !== ctx.projectId && !ctx.isAdmin) {
    throw badRequest(
      "Specifying 'project_id' or 'tenant_id' other than the authenticated project in request requires admin or advsvc privileges",
    );
  }
  return project;
}

function forbidSetting(name: string, resource: string): NeutronFault {
  return new NeutronFault(
    403,
    'PolicyNotAuthorized',
    `(rule:create_${resource} and rule:create_${resource}:${name}) is disallowed by policy`,
  );
}

/** A POST body with one resource (`{"network": {...}}`) or a bulk of them (`{"networks": [...]}`). */
export function parseCreateMany(
  ctx: RequestContext,
  resource: string,
  collection: string,
  map: AttributeMap,
  body: unknown,
): { items: { fields: Record<string, unknown>; projectId: string }[]; bulk: boolean } {
  if (isJsonObject(body) && Object.hasOwn(body, collection) && !Object.hasOwn(body, resource)) {
    const list = body[collection];
    if (!Array.isArray(list)) throw badRequest('Body contains invalid data');
    if (list.length === 0) throw badRequest('Resources required');
    return {
      items: list.map((item) => parseCreate(ctx, resource, map, { [resource]: item })),
      bulk: true,
    };
  }
  return { items: [parseCreate(ctx, resource, map, body)], bulk: false };
}

/**
 * A POST body: known attributes only, each converted and validated, defaults filled in, and
 * the owning project resolved. Returns the attributes by name and the project.
 */
export function parseCreate(
  ctx: RequestContext,
  resource: string,
  map: AttributeMap,
  body: unknown,
): { fields: Record<string, unknown>; projectId: string } {
  const given = bodyOf(body, resource);
  checkKnown(map, given);
  const fields: Record<string, unknown> = {};
  for (const [name, attr] of Object.entries(map)) {
    if (PROJECT_KEYS.includes(name)) continue;
    const present = Object.hasOwn(given, name);
    if (present && !attr.post) throw badRequest(`Attribute '${name}' not allowed in POST`);
    if (!present) {
      if (attr.post && attr.required) {
        throw badRequest(`Failed to parse request. Required attribute '${name}' not specified`);
      }
      if (attr.default !== undefined) fields[name] = structuredClone(attr.default);
      continue;
    }
    const value = checkValue(name, attr, given[name]);
    // Neutron's policy treats an attribute given at its default as not set
    // (_is_attribute_explicitly_set), so `"shared": false` is no admin's business.
    if (attr.adminOnly && !ctx.isAdmin && !isDeepStrictEqual(value, attr.default)) {
      throw forbidSetting(name, resource);
    }
    fields[name] = value;
  }
  return { fields, projectId: ownerOf(ctx, given) };
}

/** A PUT body: only attributes a PUT may change, converted and validated. */
export function parseUpdate(
  ctx: RequestContext,
  resource: string,
  map: AttributeMap,
  body: unknown,
): Record<string, unknown> {
  const given = bodyOf(body, resource);
  checkKnown(map, given);
  const fields: Record<string, unknown> = {};
  for (const [name, raw] of Object.entries(given)) {
    if (PROJECT_KEYS.includes(name)) throw badRequest(`Cannot update read-only attribute ${name}`);
    const attr = map[name]!;
    if (!attr.put) throw badRequest(`Cannot update read-only attribute ${name}`);
    if (attr.adminOnly && !ctx.isAdmin) {
      throw new NeutronFault(
        403,
        'PolicyNotAuthorized',
        `(rule:update_${resource} and rule:update_${resource}:${name}) is disallowed by policy`,
      );
    }
    fields[name] = checkValue(name, attr, raw);
  }
  return fields;
}
