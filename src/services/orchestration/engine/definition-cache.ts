import type { StackRow } from '../../../store/orchestration-schema.js';
import type { Prepared } from './prepare.js';
import type { Stack } from './stack-rows.js';

type StoredText = Pick<StackRow, 'template' | 'environment' | 'files' | 'parameters'>;

/** The definition's text as read from its row, on stacks that come from the store only. */
const STORED = Symbol('stored definition text');

/** Marks `stack` as read from `row` (not enumerable: a copy with changes is not marked). */
export function markStored(stack: Stack, row: StoredText): Stack {
  const text: StoredText = {
    template: row.template,
    environment: row.environment,
    files: row.files,
    parameters: row.parameters,
  };
  Object.defineProperty(stack, STORED, { value: text, enumerable: false });
  return stack;
}

/**
 * Loaded definitions of stored stacks, by stack id, while the stored text is the same: every
 * `stack show` (a client waiting polls it) and every operation would otherwise parse and check
 * the template again. A stack object not read from the store (a preview's) is never cached.
 */
export class DefinitionCache {
  private readonly entries = new Map<string, { text: StoredText; def: Promise<Prepared> }>();

  constructor(private readonly size = 64) {}

  get(stack: Stack, load: () => Promise<Prepared>): Promise<Prepared> {
    const text = (stack as { [STORED]?: StoredText })[STORED];
    if (!text) return load();
    const hit = this.entries.get(stack.id);
    if (hit && sameText(hit.text, text)) return hit.def;
    const def = load();
    this.entries.delete(stack.id);
    this.entries.set(stack.id, { text, def });
    // A failed load is not kept: the next caller tries (and reports) again.
    def.catch(() => {
      if (this.entries.get(stack.id)?.def === def) this.entries.delete(stack.id);
    });
    if (this.entries.size > this.size) this.entries.delete(this.entries.keys().next().value!);
    return def;
  }
}

function sameText(a: StoredText, b: StoredText): boolean {
  return (
    a.template === b.template &&
    a.environment === b.environment &&
    a.files === b.files &&
    a.parameters === b.parameters
  );
}
