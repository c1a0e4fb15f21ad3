import { isoSeconds } from '../../../util.js';
import type { Standard } from '../standard.js';

/** The standard attributes every resource shows, with `tenant_id` beside `project_id`. */
export function standardView(r: Standard): Record<string, unknown> {
  return {
    project_id: r.project_id,
    tenant_id: r.project_id,
    description: r.description,
    tags: r.tags,
    created_at: isoSeconds(r.created_at),
    updated_at: isoSeconds(r.updated_at),
    revision_number: r.revision_number,
  };
}

/** `fields=`: only the attributes asked for, when any are (unknown names are ignored). */
export function selectFields(
  view: Record<string, unknown>,
  fields: readonly string[],
): Record<string, unknown> {
  if (fields.length === 0) return view;
  const out: Record<string, unknown> = {};
  for (const f of fields) if (Object.hasOwn(view, f)) out[f] = view[f];
  return out;
}
