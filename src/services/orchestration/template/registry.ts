/**
 * The resource registry (heat/engine/environment.py ResourceRegistry): a type maps to another
 * type (an alias), to a template file, or through a wildcard entry; per-resource entries under
 * `resources:` are more specific. Matches are tried in Heat's order: the user's environment
 * before the global one, longer (per-resource) paths first, then by path text.
 */
import { isMap } from './pyvalue.js';

export type Lookup = { kind: 'builtin'; type: string } | { kind: 'template'; file: string };

interface Candidate {
  user: boolean;
  path: string[];
  /** A string value, or null for a built-in (Heat's class entries). */
  value: string | null;
}

const isTemplateName = (s: string): boolean => s.endsWith('.yaml') || s.endsWith('.template');

/** Heat sorts ResourceInfo: user entries first, longer paths first, then path order. */
function before(a: Candidate, b: Candidate): number {
  if (a.user !== b.user) return a.user ? -1 : 1;
  if (a.path.length !== b.path.length) return b.path.length - a.path.length;
  for (let i = 0; i < a.path.length; i++) {
    if (a.path[i]! !== b.path[i]!) return a.path[i]! < b.path[i]! ? -1 : 1;
  }
  return 0;
}

export class ResourceRegistry {
  /**
   * @param env the environment's `resource_registry`
   * @param builtins the types pocketstack implements
   * @param files the request's `files` (a type named like one is a template resource)
   * @param global the operator's global registry (aliases), consulted after the user's
   */
  constructor(
    private readonly env: Record<string, unknown>,
    private readonly builtins: ReadonlySet<string>,
    private readonly files: ReadonlyMap<string, string>,
    private readonly global: Record<string, unknown> = {},
  ) {}

  /** What `type` (of resource `resourceName`) is, or null when nothing provides it. */
  lookup(type: string, resourceName: string): Lookup | null {
    return this.find(type, resourceName, true, 0);
  }

  private find(type: string, name: string, fromUser: boolean, depth: number): Lookup | null {
    if (depth > 20) return null;
    const found = [
      ...(fromUser ? this.candidates(this.env, type, name, true) : []),
      ...this.candidates(this.global, type, name, false),
    ].sort(before);
    for (const c of found) {
      const match = this.resolve(c, type, name, depth);
      if (match) return match;
    }
    return null;
  }

  private candidates(
    reg: Record<string, unknown>,
    type: string,
    name: string,
    user: boolean,
  ): Candidate[] {
    const out: Candidate[] = [];
    const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
    // Only a user environment may name a template file as a type (Heat adds it on the fly).
    if (user && (isTemplateName(type) || this.files.has(type))) {
      out.push({ user, path: [type], value: type });
    }
    const per = reg['resources'];
    if (name && isMap(per) && Object.hasOwn(per, name) && isMap(per[name])) {
      const entry = per[name] as Record<string, unknown>;
      if (Object.hasOwn(entry, type) && str(entry[type]) !== null) {
        out.push({ user, path: ['resources', name, type], value: str(entry[type]) });
      }
    }
    if (Object.hasOwn(reg, type) && str(reg[type]) !== null) {
      out.push({ user, path: [type], value: str(reg[type]) });
    }
    if (!user && this.builtins.has(type)) out.push({ user, path: [type], value: null });
    for (const k of Object.keys(reg)) {
      const v = str(reg[k]);
      if (k.endsWith('*') && v !== null && type !== v && type.startsWith(k.slice(0, -1))) {
        out.push({ user, path: [k], value: v });
      }
    }
    return out;
  }

  private resolve(c: Candidate, type: string, name: string, depth: number): Lookup | null {
    const key = c.path[c.path.length - 1]!;
    if (c.value === null) return { kind: 'builtin', type };
    if (isTemplateName(key) || (c.path.length === 1 && key === c.value && this.files.has(key))) {
      return { kind: 'template', file: key };
    }
    if (isTemplateName(c.value)) return { kind: 'template', file: c.value };
    if (key.endsWith('*')) {
      const prefix = key.slice(0, -1);
      const next = c.value.endsWith('*')
        ? c.value.slice(0, -1) + type.slice(prefix.length)
        : c.value;
      return this.find(next, name, c.user, depth + 1);
    }
    if (c.value === type) return null;
    return this.find(c.value, name, c.user, depth + 1);
  }
}
