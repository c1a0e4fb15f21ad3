import { BadRequest, Forbidden } from '../../../errors.js';
import type { RequestContext } from '../../../context.js';

type Json = Record<string, unknown>;

/** The `{"<key>": {...}}` envelope every Keystone create/update body uses. */
export function envelope(body: unknown, key: string): Json {
  const inner = (body as Json | null)?.[key];
  if (typeof inner !== 'object' || inner === null || Array.isArray(inner)) {
    throw new BadRequest(`Invalid input for field '${key}': '${key}' is a required property`);
  }
  return inner as Json;
}

export function optString(o: Json, field: string, max = 255): string | undefined {
  const v = o[field];
  if (v === undefined) return undefined;
  if (typeof v !== 'string')
    throw new BadRequest(
      `Invalid input for field '${field}': ${JSON.stringify(v)} is not of type 'string'`,
    );
  if (v.length > max)
    throw new BadRequest(`Invalid input for field '${field}': '${v}' is too long`);
  return v;
}

export function optNullableString(o: Json, field: string): string | null | undefined {
  return o[field] === null ? null : optString(o, field, 65535);
}

export function reqName(o: Json, max = 255): string {
  const name = optString(o, 'name', max);
  if (name === undefined)
    throw new BadRequest("Invalid input for field 'name': 'name' is a required property");
  if (name.trim() === '')
    throw new BadRequest("Invalid input for field 'name': '' should be non-empty");
  return name;
}

export function optBool(o: Json, field: string): boolean | undefined {
  const v = o[field];
  if (v === undefined) return undefined;
  if (typeof v !== 'boolean')
    throw new BadRequest(
      `Invalid input for field '${field}': ${JSON.stringify(v)} is not of type 'boolean'`,
    );
  return v;
}

export function optStringArray(o: Json, field: string): string[] | undefined {
  const v = o[field];
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || !v.every((t) => typeof t === 'string')) {
    throw new BadRequest(
      `Invalid input for field '${field}': ${JSON.stringify(v)} is not of type 'array'`,
    );
  }
  return v as string[];
}

/** Query-string booleans as Keystone reads them. */
export function queryBool(v: string | undefined): boolean | undefined {
  if (v === undefined) return undefined;
  return !['0', 'false', 'no', 'off'].includes(v.toLowerCase());
}

/** Keystone's default policy for the admin API: the admin role. */
export function requireAdmin(ctx: RequestContext, action: string): void {
  if (!ctx.isAdmin) {
    throw new Forbidden(
      `You are not authorized to perform the requested action: identity:${action}.`,
    );
  }
}
