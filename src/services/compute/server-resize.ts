import { userContext, type RequestContext } from '../../context.js';
import { BadRequest, Forbidden, NotFound } from '../../errors.js';
import { PowerState } from '../../compute/index.js';
import type { Db } from '../../store/db.js';
import type { ServerMigrationRow } from '../../store/compute-schema.js';
import { isoNow } from '../../util.js';
import type { Flavor } from './flavors.js';
import { withEvent } from './instance-actions.js';
import { isVolumeBacked, startAction, type LifecycleDeps } from './server-lifecycle.js';
import { parseJson, type EmbeddedFlavor } from './server-model.js';
import type { QuotaSet } from './quotas.js';
import { serverUsage } from './server-quota.js';
import { advance, refusal, type ActionRule } from './states.js';
import { guestSpec, loadServer } from './server-work.js';

const GiB = 1024 ** 3;

const RESIZE: ActionRule = { method: 'resize', vmStates: ['active', 'stopped'] };

function embed(f: Flavor): EmbeddedFlavor {
  return {
    id: f.row.id,
    name: f.row.name,
    ram: f.row.memory_mb,
    vcpus: f.row.vcpus,
    disk: f.row.root_gb,
    ephemeral: f.row.ephemeral_gb,
    swap: f.row.swap,
    rxtx_factor: f.row.rxtx_factor,
    description: f.row.description,
    extra_specs: f.extraSpecs,
  };
}

/** Nova's _check_quota_for_upsize: only the growth counts, inside the starting transaction. */
export async function checkUpsize(
  tx: Db,
  limits: QuotaSet,
  projectId: string,
  from: EmbeddedFlavor,
  to: EmbeddedFlavor,
): Promise<void> {
  const used = await serverUsage(tx, projectId);
  const delta = { cores: to.vcpus - from.vcpus, ram: to.ram - from.ram };
  const overs = (['cores', 'ram'] as const).filter(
    (r) => delta[r] > 0 && limits[r] >= 0 && used[r] + delta[r] > limits[r],
  );
  if (overs.length === 0) return;
  // compute_utils.get_over_quota_detail: one value per resource over, each list comma-joined.
  const list = (f: (r: (typeof overs)[number]) => number) => overs.map(f).join(', ');
  throw new Forbidden(
    `Quota exceeded for ${overs.join(', ')}: Requested ${list((r) => delta[r])}, but already used ${list((r) => used[r])} of ${list((r) => limits[r])} ${overs.join(', ')}`,
  );
}

/** resize: the new flavor checked and recorded with the old one; the work is queued. */
export async function resize(
  d: LifecycleDeps,
  ctx: RequestContext,
  id: string,
  flavorRef: string,
): Promise<void> {
  const server = await d.load(ctx, id);
  const refused = refusal(RESIZE, server.row, ctx.isAdmin);
  if (refused) throw refused;
  const ref = flavorRef.split('/').pop() ?? '';
  let flavor: Flavor;
  try {
    flavor = await d.flavors.get(ctx, ref);
  } catch (err) {
    if (err instanceof NotFound) throw new BadRequest(err.message);
    throw err;
  }
  const same = flavor.row.id === server.flavor.id;
  if (!same && flavor.row.disabled) throw new BadRequest(`Flavor ${ref} could not be found.`);
  if (same) throw new BadRequest('When resizing, instances must change flavor!');
  if (flavor.row.root_gb === 0 && server.flavor.disk !== 0 && !isVolumeBacked(server))
    throw new BadRequest(
      'Server disk was unable to be resized because: Resize to zero disk flavor is not allowed.',
    );
  const to = embed(flavor);
  // Read before the transaction: inside it only `tx` may be used.
  const limits = await d.quotas.limits(server.row.project_id);
  await startAction(d, ctx, id, RESIZE, {
    task: 'resize_prep',
    action: 'resize',
    payload: { action: 'resize' },
    async also(tx, row) {
      await checkUpsize(tx, limits, row.project_id, server.flavor, to);
      const now = isoNow();
      await tx.deleteFrom('server_migrations').where('server_id', '=', row.id).execute();
      await tx
        .insertInto('server_migrations')
        .values({
          server_id: row.id,
          old_flavor: row.flavor,
          new_flavor: JSON.stringify(to),
          old_vm_state: row.vm_state,
          old_layer: null,
          status: 'pre-migrating',
          created_at: now,
          updated_at: now,
        })
        .execute();
    },
  });
}

export async function migrationOf(ex: Db, id: string): Promise<ServerMigrationRow | undefined> {
  return ex
    .selectFrom('server_migrations')
    .selectAll()
    .where('server_id', '=', id)
    .executeTakeFirst();
}

export async function setStatus(d: LifecycleDeps, id: string, status: string): Promise<void> {
  await d.db
    .updateTable('server_migrations')
    .set({ status, updated_at: isoNow() })
    .where('server_id', '=', id)
    .execute();
}

/**
 * Compute side, as Nova walks a same-host resize: resize_migrating (the guest powered off, the
 * root disk sealed, a head over it grown to the new flavor's disk), resize_migrated,
 * resize_finish (the new flavor is the server's, the guest back on if it ran), VERIFY_RESIZE.
 */
export async function runResize(d: LifecycleDeps, id: string, roles: string[]): Promise<void> {
  const first = await d.rows.find(id);
  const walk = ['resize_prep', 'resize_migrating', 'resize_migrated', 'resize_finish'];
  const m = await migrationOf(d.db, id);
  if (!first || !m || !walk.includes(first.task_state ?? '')) return;
  const ctx = userContext(first.project_id, first.user_id, roles);
  const to = parseJson<EmbeddedFlavor | null>(m.new_flavor, null)!;
  const from = parseJson<EmbeddedFlavor | null>(m.old_flavor, null)!;
  await withEvent(d.db, id, 'resize', 'compute_resize_instance', d.host.name, async () => {
    // libvirt's migrate_disk_and_power_off: a local disk never shrinks (InstanceFaultRollback).
    if (to.disk < from.disk && first.root_layer !== null)
      throw new Error('Resize error: Unable to resize disk down.');
    await advance(d.db, id, 'resize_prep', { task_state: 'resize_migrating' });
    await setStatus(d, id, 'migrating');
    await d.driver.powerOff(id);
    const row = (await d.rows.find(id))!;
    if (row.root_layer && m.old_layer === null) {
      const root = row.root_layer;
      // The old disk is kept sealed for a revert; the server writes to a grown head over it.
      await d.layers.creating(async () => {
        const disk = await d.driver.sealRootDisk(id, root);
        await d.db.transaction().execute(async (tx) => {
          await tx
            .updateTable('servers')
            .set({ root_layer: disk.newHeadLayer })
            .where('id', '=', id)
            .execute();
          await tx
            .updateTable('server_migrations')
            .set({ old_layer: disk.sealedLayer })
            .where('server_id', '=', id)
            .execute();
        });
      });
    }
    const head = (await d.rows.find(id))!.root_layer;
    if (head) {
      const size = await d.layers.virtualSize(head);
      if (to.disk * GiB > size) await d.layers.resize(head, to.disk * GiB);
    }
    await advance(d.db, id, 'resize_migrating', { task_state: 'resize_migrated' });
  });
  await withEvent(d.db, id, 'resize', 'compute_finish_resize', d.host.name, async () => {
    await advance(d.db, id, 'resize_migrated', {
      task_state: 'resize_finish',
      flavor_id: to.id,
      flavor: JSON.stringify(to),
      vcpus: to.vcpus,
      memory_mb: to.ram,
    });
    const running = m.old_vm_state !== 'stopped';
    if (running) await d.driver.powerOn(await guestSpec(d, ctx, (await loadServer(d, id))!));
    await advance(d.db, id, 'resize_finish', {
      vm_state: 'resized',
      task_state: null,
      power_state: running ? PowerState.RUNNING : PowerState.SHUTDOWN,
    });
    await setStatus(d, id, 'finished');
  });
}

/** A resize that failed: the server as it was (reverts_task_state), the migration in error. */
export async function failResize(d: LifecycleDeps, id: string): Promise<void> {
  await d.db
    .updateTable('servers')
    .set({ task_state: null })
    .where('id', '=', id)
    .where('task_state', 'in', [
      'resize_prep',
      'resize_migrating',
      'resize_migrated',
      'resize_finish',
      'resize_reverting',
    ])
    .execute();
  await setStatus(d, id, 'error');
}
