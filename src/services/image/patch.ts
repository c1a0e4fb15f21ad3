import { Conflict, Forbidden } from '../../errors.js';
import type { RequestContext } from '../../context.js';
import {
  checkBaseValue,
  checkExtra,
  isReserved,
  noProto,
  READ_ONLY,
  WRITABLE,
  type FieldValue,
  type Image,
} from './model.js';

/** One JSON-patch operation on an image, its pointer decoded to the property's name. */
export interface PatchOp {
  op: 'add' | 'remove' | 'replace';
  name: string;
  /** Absent for `remove`. */
  value?: FieldValue;
}

const WRITABLE_SET: ReadonlySet<string> = new Set(WRITABLE);
const READ_ONLY_SET: ReadonlySet<string> = new Set([...READ_ONLY, 'id']);

function isWritable(name: string): name is (typeof WRITABLE)[number] {
  return WRITABLE_SET.has(name);
}

/**
 * Applies operations to a copy of the image; the caller stores the result. `v20` is the
 * deprecated media type, whose `add` of an existing property is a conflict.
 */
export function applyPatch(ctx: RequestContext, image: Image, ops: PatchOp[], v20: boolean): Image {
  const properties = Object.assign(noProto<string>(), image.properties);
  const next: Image = { row: { ...image.row }, properties, tags: [...image.tags] };
  for (const { op, name, value } of ops) {
    if (READ_ONLY_SET.has(name)) throw new Forbidden(`Attribute '${name}' is read-only.`);
    if (isWritable(name)) {
      if (op === 'remove') throw new Forbidden(`Property ${name} may not be removed.`);
      setBase(ctx, next, name, checkBaseValue(name, value), 'update');
      continue;
    }
    if (isReserved(name)) throw new Forbidden(`Attribute '${name}' is reserved.`);
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

/** Sets a checked base property, with the policy that goes with it (owner, publicizing). */
export function setBase(
  ctx: RequestContext,
  image: Image,
  name: (typeof WRITABLE)[number],
  value: FieldValue,
  during: 'create' | 'update',
): void {
  const row = image.row;
  switch (name) {
    case 'tags':
      image.tags = value as string[];
      return;
    case 'owner':
      if (!ctx.isAdmin && value !== row.owner) {
        throw new Forbidden(
          during === 'create'
            ? `You are not permitted to create images owned by '${value as string}'.`
            : "You are not permitted to modify 'owner' on this image.",
        );
      }
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
