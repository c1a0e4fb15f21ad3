/**
 * Who holds layers: each service whose rows point at layers (Cinder's volumes and snapshots,
 * Nova's root disks and snapshot uploads) registers once. The layer sweep and releases ask all
 * of them, so no service's layer is taken for garbage because another service ran the sweep.
 */
export interface LayerOwner {
  /** Every layer its rows point at. */
  roots(): Promise<string[]>;
  /** Which of `ids` its rows point at (index probes, for a release). */
  rootedAmong(ids: string[]): Promise<Set<string>>;
}

export class LayerOwners implements LayerOwner {
  private readonly owners: LayerOwner[] = [];

  add(owner: LayerOwner): void {
    this.owners.push(owner);
  }

  async roots(): Promise<string[]> {
    const all: string[] = [];
    for (const o of this.owners) all.push(...(await o.roots()));
    return all;
  }

  async rootedAmong(ids: string[]): Promise<Set<string>> {
    const found = new Set<string>();
    for (const o of this.owners) {
      const left = ids.filter((id) => !found.has(id));
      if (left.length === 0) break;
      for (const id of await o.rootedAmong(left)) found.add(id);
    }
    return found;
  }
}
