import { BadRequest, Conflict, Forbidden, UnsupportedMediaType } from '../../errors.js';
import type { RequestContext } from '../../context.js';
import { checkBaseValue, checkExtra, READ_ONLY, WRITABLE, type Image } from './model.js';

export const PATCH_V21 = 'application/openstack-images-v2.1-json-patch';
export const PATCH_V20 = 'application/openstack-images-v2.0-json-patch';

export interface PatchOp {
  op: 'add' | 'remove' | 'replace';
  /** The property name, unescaped from its JSON pointer. */
  name: string;
  value: unknown;
}

const OPS = ['add', 'remove', 'replace'] as const;

/**
 * Parses a PATCH body in either of Glance's media types: v2.1 (RFC 6902 style
 * `{"op":"replace","path":"/name"}`) or the deprecated v2.0 (`{"replace":"/name"}`), which
 * Tempest still sends.
 */
export function parsePatch(
  contentType: string | undefined,
  body: unknown,
): { ops: PatchOp[]; v20: boolean } {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== PATCH_V21 && type !== PATCH_V20) {
    throw new UnsupportedMediaType(
      `Unsupported Content-Type. Use one of: ${PATCH_V21}, ${PATCH_V20}`,
    );
  }
  const v20 = type === PATCH_V20;
  if (!Array.isArray(body))
    throw new BadRequest('Request body must be a JSON array of operation objects.');
  const ops = body.map((raw): PatchOp => {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      throw new BadRequest('Operations must be JSON objects.');
    }
    const o = raw as Record<string, unknown>;
    let op: string | undefined;
    let path: unknown;
    if (v20) {
      const found = OPS.filter((k) => k in o);
      if (found.length !== 1)
        throw new BadRequest(
          'Operation objects must contain exactly one member named "add", "remove", or "replace".',
        );
      op = found[0];
      path = o[op!];
    } else {
      op = typeof o.op === 'string' ? o.op : undefined;
      path = o.path;
      if (!op || !OPS.includes(op as never))
        throw new BadRequest(`Invalid operation: "${String(o.op)}"`);
    }
    if (typeof path !== 'string')
      throw new BadRequest("Unable to find 'path' element in operation object.");
    if (op !== 'remove' && !('value' in o))
      throw new BadRequest(`Operation "${op}" requires a member named "value".`);
    return { op: op as PatchOp['op'], name: pointerName(path), value: o.value };
  });
  return { ops, v20 };
}

function pointerName(path: string): string {
  if (!path.startsWith('/')) throw new BadRequest(`Pointer \`${path}\` does not start with "/".`);
  const parts = path.slice(1).split('/');
  const name = parts[0]!.replace(/~1/g, '/').replace(/~0/g, '~');
  if (/~(?![01])/.test(parts[0]!))
    throw new BadRequest(
      `Pointer \`${path}\` contains "~" not part of a recognized escape sequence.`,
    );
  if (name === 'locations')
    throw new Forbidden("It's not allowed to update locations if locations are invisible.");
  if (parts.length > 1) throw new BadRequest('Nested paths are not allowed');
  return name;
}

/** Applies validated operations to a copy of the image; the caller stores the result. */
export function applyPatch(ctx: RequestContext, image: Image, ops: PatchOp[], v20: boolean): Image {
  const next: Image = {
    row: { ...image.row },
    properties: { ...image.properties },
    tags: [...image.tags],
  };
  for (const { op, name, value } of ops) {
    if ((READ_ONLY as readonly string[]).includes(name) || name === 'id') {
      throw new Forbidden(`Attribute '${name}' is read-only.`);
    }
    if ((WRITABLE as readonly string[]).includes(name)) {
      if (op === 'remove') throw new Forbidden(`Property ${name} may not be removed.`);
      const checked = checkBaseValue(name, value);
      setBase(ctx, next, name, checked);
      continue;
    }
    if (name.startsWith('os_glance')) throw new Forbidden(`Attribute '${name}' is reserved.`);
    const exists = Object.hasOwn(next.properties, name);
    if (op === 'remove') {
      if (!exists) throw new Conflict(`Property ${name} does not exist.`);
      delete next.properties[name];
    } else if (op === 'replace') {
      if (!exists) throw new Conflict(`Property ${name} does not exist.`);
      next.properties[name] = checkExtra(name, value);
    } else {
      if (exists && v20) throw new Conflict(`Property ${name} already present.`);
      next.properties[name] = checkExtra(name, value);
    }
  }
  return next;
}

function setBase(ctx: RequestContext, image: Image, name: string, value: unknown): void {
  const row = image.row;
  switch (name) {
    case 'tags':
      image.tags = value as string[];
      return;
    case 'owner':
      if (!ctx.isAdmin && value !== row.owner)
        throw new Forbidden("You are not permitted to modify 'owner' on this image.");
      row.owner = value as string | null;
      return;
    case 'visibility':
      if (value === 'public' && row.visibility !== 'public' && !ctx.isAdmin) {
        throw new Forbidden('You are not authorized to complete publicize_image action.');
      }
      row.visibility = value as string;
      return;
    case 'protected':
    case 'os_hidden':
      row[name] = value ? 1 : 0;
      return;
    case 'name':
    case 'container_format':
    case 'disk_format':
      row[name] = value as string | null;
      return;
    case 'min_disk':
    case 'min_ram':
      row[name] = value as number;
      return;
  }
}
