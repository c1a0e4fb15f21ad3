import { userContext } from '../../context.js';
import { withEvent } from './instance-actions.js';
import { releaseVolumes } from './server-bdm-work.js';
import { releasePorts } from './server-port-work.js';
import { loadServer, type ServerWorkDeps } from './server-work.js';

/**
 * The compute side of a delete (Nova's terminate_instance): the guest is destroyed, ports
 * given back, volumes detached (and deleted where the mapping says so), the root disk's
 * layers released, and the rows removed. Every step tolerates having been done already, so a
 * rerun after a crash finishes the job.
 */
export async function deleteServer(d: ServerWorkDeps, id: string, roles: string[]): Promise<void> {
  const server = await loadServer(d, id);
  if (!server) return;
  const ctx = userContext(server.row.project_id, server.row.user_id, roles);
  await withEvent(d.db, id, 'delete', 'compute_terminate_instance', d.host.name, async () => {
    await d.driver.destroy(id);
    await releasePorts(d, ctx, server);
    await releaseVolumes(d, ctx, server);
  });
  const layers = await d.db.transaction().execute(async (tx) => {
    const snaps = await tx
      .selectFrom('server_snapshots')
      .select('layer')
      .where('server_id', '=', id)
      .execute();
    await tx.deleteFrom('server_snapshots').where('server_id', '=', id).execute();
    for (const table of [
      'server_metadata',
      'server_tags',
      'server_interfaces',
      'block_device_mappings',
      'server_group_members',
      'server_migrations',
    ] as const) {
      await tx.deleteFrom(table).where('server_id', '=', id).execute();
    }
    // The instance actions stay: from 2.21 a deleted server's actions are still listed.
    await tx.deleteFrom('servers').where('id', '=', id).execute();
    return [server.row.root_layer, ...snaps.map((s) => s.layer)];
  });
  await d.releaseLayers(layers);
  // A shelved server's disk lives on in its shelved image only: Nova deletes it with the server.
  const shelved = server.systemMetadata.shelved_image_id;
  if (shelved) await d.images.delete(ctx, shelved).catch(() => undefined);
}
