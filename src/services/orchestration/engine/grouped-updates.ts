import { sql, type Transaction, type Updateable } from 'kysely';
import type { Database } from '../../../store/schema.js';
import type { StackResourceRow } from '../../../store/orchestration-schema.js';

type Change = Updateable<StackResourceRow>;

/** Rows a statement changes at most: under SQLite's 32766 bound values with every column. */
const ROWS_PER_STATEMENT = 500;

/**
 * A batch's changes to resource rows, made in as few statements as they allow: rows given the
 * same values in one UPDATE ... WHERE id IN (a wave's IN_PROGRESS moves), rows given different
 * values of the same columns in one UPDATE ... FROM (VALUES ...) (a wave's COMPLETE moves, each
 * with its own physical id and properties). A statement costs more than the rows in it.
 */
export class GroupedUpdates {
  /** Rows with a change waiting (one row changed twice must see its changes in order). */
  readonly ids = new Set<string>();
  private readonly byColumns = new Map<string, { columns: string[]; rows: Row[] }>();

  add(id: string, change: Change): void {
    this.ids.add(id);
    const entries = Object.entries(change).filter(([, v]) => v !== undefined);
    const columns = entries.map(([c]) => c);
    const key = columns.join(',');
    const group = this.byColumns.get(key) ?? { columns, rows: [] };
    this.byColumns.set(key, group);
    group.rows.push({ id, change, values: entries.map(([, v]) => v) });
  }

  async flush(tx: Transaction<Database>): Promise<void> {
    for (const { columns, rows } of this.byColumns.values()) {
      if (rows.length === 1) {
        await updateSame(tx, rows);
        continue;
      }
      const same = new Map<string, Row[]>();
      for (const row of rows) {
        const key = JSON.stringify(row.values);
        const group = same.get(key);
        if (group) group.push(row);
        else same.set(key, [row]);
      }
      const distinct: Row[] = [];
      for (const group of same.values()) {
        if (group.length === 1) distinct.push(group[0]!);
        else await updateSame(tx, group);
      }
      if (distinct.length === 1) await updateSame(tx, distinct);
      else if (distinct.length > 1) await updateEach(tx, columns, distinct);
    }
    this.byColumns.clear();
    this.ids.clear();
  }
}

interface Row {
  id: string;
  change: Change;
  values: unknown[];
}

/** Rows given the same change. */
async function updateSame(tx: Transaction<Database>, rows: Row[]): Promise<void> {
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
    const ids = rows.slice(i, i + ROWS_PER_STATEMENT).map((r) => r.id);
    await tx.updateTable('stack_resources').set(rows[0]!.change).where('id', 'in', ids).execute();
  }
}

/** Rows given values of their own for the same columns: VALUES' columns are column1... */
async function updateEach(
  tx: Transaction<Database>,
  columns: string[],
  rows: Row[],
): Promise<void> {
  const sets = sql.join(columns.map((c, i) => sql`${sql.ref(c)} = v.${sql.raw(`column${i + 2}`)}`));
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
    const values = sql.join(
      rows.slice(i, i + ROWS_PER_STATEMENT).map((r) => sql`(${sql.join([r.id, ...r.values])})`),
    );
    await sql`update stack_resources set ${sets} from (values ${values}) as v where stack_resources.id = v.column1`.execute(
      tx,
    );
  }
}
