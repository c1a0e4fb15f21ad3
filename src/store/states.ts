/**
 * A resource's state machine as one table of allowed moves (Glance's `valid_state_targets`
 * shape): for each status, the statuses it may move to. Volumes and snapshots use it today;
 * servers, ports and stacks use the same shape. A move is made by a conditional UPDATE whose
 * WHERE names the statuses allowed to reach the target, so two racing requests cannot both win
 * and an illegal move is refused, never written.
 */
export type Transitions<S extends string> = Readonly<Record<S, readonly S[]>>;

/** The statuses from which `to` may be reached, optionally narrowed to those the caller names. */
export function sourcesOf<S extends string>(
  table: Transitions<S>,
  to: S,
  only?: readonly S[],
): S[] {
  const from = (Object.keys(table) as S[]).filter((s) => table[s].includes(to));
  return only ? from.filter((s) => only.includes(s)) : from;
}

export function canMove<S extends string>(table: Transitions<S>, from: S, to: S): boolean {
  return table[from]?.includes(to) ?? false;
}
