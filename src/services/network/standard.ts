import type { Db } from '../../store/db.js';
import type { NetworkTables, StandardColumns } from '../../store/network-schema.js';
import { isoNow } from '../../util.js';
import { NeutronFault } from './errors.js';

/** Neutron's standard attributes, on every resource the domain hands out. */
export interface Standard extends StandardColumns {
  tags: string[];
}

type StandardTable = {
  [K in keyof NetworkTables]: NetworkTables[K] extends StandardColumns ? K : never;
}[keyof NetworkTables];

/** RevisionNumberConstraintFailed: an `If-Match: revision_number=N` that no longer holds. */
export function revisionFailed(expected: number, current: number): NeutronFault {
  return new NeutronFault(
    412,
    'RevisionNumberConstraintFailed',
    `Constrained to ${expected}, but current revision is ${current}`,
  );
}

/**
 * Writes an update and moves the revision on, conditionally on the revision read: a change
 * that raced in between fails the If-Match check instead of being overwritten silently.
 */
export async function bumpRevision<T extends StandardTable>(
  tx: Db,
  table: T,
  row: StandardColumns,
  set: Partial<NetworkTables[T]>,
  ifMatch?: number,
): Promise<void> {
  if (ifMatch !== undefined && ifMatch !== row.revision_number) {
    throw revisionFailed(ifMatch, row.revision_number);
  }
  const result = await tx
    .updateTable(table as 'networks')
    .set({
      ...(set as object),
      revision_number: row.revision_number + 1,
      updated_at: isoNow(),
    })
    .where('id', '=', row.id)
    .where('revision_number', '=', row.revision_number)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1 && ifMatch !== undefined) {
    throw revisionFailed(ifMatch, row.revision_number + 1);
  }
}
