import { NotFound } from '../../../../errors.js';
import { HeatFault } from '../../errors.js';
import { serverView } from '../../../compute/views/server.view.js';
import type { ResourceType } from '../types.js';
import { NOVA_MICROVERSION } from './finders.js';
import { deleteInternalPorts } from './internal-ports.js';
import { SERVER_ATTRIBUTES, serverAttribute } from './server-attributes.js';
import { newServer } from './server-request.js';
import { validateServer } from './server-validate.js';
import { SERVER_PROPERTIES, SERVER_TRANSLATIONS } from './server-schema.js';
import { needsReplace, updateServer } from './server-update.js';
import { checkActive, serverOrGone, statusOfServer, waitUntil } from './wait.js';

const ignoreNotFound = (err: unknown) => {
  if (!(err instanceof NotFound)) throw err;
};

/** What Heat's snapshots of a server wait for before the image is usable (server.py). */
const SNAPSHOT_TASKS = new Set([
  'image_uploading',
  'image_snapshot_pending',
  'image_snapshot',
  'image_pending_upload',
]);

/** Makes an image of the server and waits for it (server.py handle_snapshot + check). */
async function snapshotImage(rc: Parameters<ResourceType['create']>[0], id: string) {
  const imageId = await rc.services.compute.servers.createImage(rc.ctx, id, rc.physicalName(), {});
  await waitUntil(rc, async () => {
    const image = await rc.services.images.get(rc.ctx, imageId);
    const status = image.row.status.toLowerCase();
    if (status === 'error' || status === 'deleted') throw new HeatFault('Error', status);
    if (status !== 'active') return false;
    const s = await serverOrGone(rc, id);
    return !s || !SNAPSHOT_TASKS.has(s.row.task_state ?? '');
  });
  return imageId;
}

/** OS::Nova::Server (heat/engine/resources/openstack/nova/server.py). */
export const SERVER: ResourceType = {
  type: 'OS::Nova::Server',
  description:
    'A resource for managing Nova instances.\n\nA Server resource manages the running virtual machine instance within an OpenStack cloud.',
  properties: SERVER_PROPERTIES,
  attributes: SERVER_ATTRIBUTES,
  translations: SERVER_TRANSLATIONS,

  validate: validateServer,

  async create(rc, props) {
    try {
      const made = await rc.services.compute.servers.create(rc.ctx, await newServer(rc, props));
      return made.servers[0]!.row.id;
    } catch (err) {
      // No server holds the ports Heat made for it: they go now, not with a delete.
      await deleteInternalPorts(rc);
      throw err;
    }
  },

  async checkCreateComplete(rc, id, props) {
    // A server Nova lost fails the create with Nova's 404, as novaclient raises it.
    const s = await rc.services.compute.servers.get(rc.ctx, id);
    if (!checkActive(s)) return false;
    if (Array.isArray(props.tags) && props.tags.length > 0)
      await rc.services.compute.serverTags.replace(rc.ctx, id, props.tags as string[]);
    return true;
  },

  /** server.py needs_replace_with_prop_diff: the update policies that say REPLACE. */
  needsReplace,

  update: updateServer,

  async delete(rc, id) {
    await rc.services.compute.servers.delete(rc.ctx, id).catch(ignoreNotFound);
  },

  /** nova.py check_delete_server_complete. */
  async checkDeleteComplete(rc, id) {
    const s = await serverOrGone(rc, id);
    if (!s) {
      await deleteInternalPorts(rc);
      return true;
    }
    if (s.row.task_state === 'deleting') return false;
    const status = statusOfServer(s);
    if (status === 'DELETED') return true;
    if (status === 'SOFT_DELETED')
      await rc.services.compute.servers.lifecycle.forceDelete(rc.ctx, id);
    else if (status === 'ERROR')
      throw new HeatFault(
        'ResourceInError',
        `Went to status ERROR due to "Server ${s.row.name} delete failed: (${s.fault?.code ?? 'None'}) ${s.fault?.message ?? 'Unknown'}"`,
      );
    return false;
  },

  async attribute(rc, id, name, props) {
    // `name` needs no call: it is the name Heat gave Nova.
    if (name === 'name')
      return typeof props.name === 'string' && props.name !== '' ? props.name : rc.physicalName();
    const s = await serverOrGone(rc, id);
    // Heat answers '' for a server Nova no longer has.
    if (!s) return '';
    return serverAttribute(rc, s, name);
  },

  /** The server as Nova's API shows it to Heat's client. */
  async show(rc, id) {
    const s = await rc.services.compute.servers.get(rc.ctx, id);
    return serverView(s, NOVA_MICROVERSION, { isAdmin: rc.ctx.isAdmin, base: '' });
  },

  /** server.py handle_suspend / check_suspend_complete. */
  async suspend(rc, id) {
    const s = await serverOrGone(rc, id);
    if (!s) throw new HeatFault('NotFound', `Failed to find server ${id}`);
    if (statusOfServer(s) !== 'SUSPENDED')
      await rc.services.compute.servers.powerAction(rc.ctx, id, 'suspend');
    await waitUntil(rc, async () => {
      const now = await serverOrGone(rc, id);
      if (!now) return false;
      const status = statusOfServer(now);
      if (status === 'SUSPENDED') return true;
      if (status === 'ACTIVE' || status === 'BUILD' || status.includes('REBOOT')) return false;
      throw new HeatFault(
        'ResourceUnknownStatus',
        `Suspend of server ${now.row.name} failed - Unknown status ${status} due to "Unknown"`,
      );
    });
  },

  async resume(rc, id) {
    const s = await serverOrGone(rc, id);
    if (!s) throw new HeatFault('NotFound', `Failed to find server ${id}`);
    if (statusOfServer(s) !== 'ACTIVE')
      await rc.services.compute.servers.powerAction(rc.ctx, id, 'resume');
    await waitUntil(rc, async () => {
      const now = await serverOrGone(rc, id);
      return now !== undefined && checkActive(now) && now.row.task_state === null;
    });
  },

  /** server.py handle_check: the status must be ACTIVE. */
  async check(rc, id) {
    const s = await rc.services.compute.servers.get(rc.ctx, id);
    const status = statusOfServer(s);
    if (status !== 'ACTIVE')
      throw new HeatFault('Error', `'status': expected 'ACTIVE', got '${status}'`);
  },

  async snapshot(rc, id) {
    const imageId = await snapshotImage(rc, id);
    await rc.data.set('snapshot_image_id', imageId);
    return { snapshot_image_id: imageId };
  },

  /** server.py handle_delete_snapshot: the image goes (already gone is fine). */
  async deleteSnapshot(rc, data) {
    if (typeof data.snapshot_image_id !== 'string') return;
    await rc.services.images.delete(rc.ctx, data.snapshot_image_id).catch(ignoreNotFound);
  },

  /** server.py handle_restore: the same server booted from the snapshot's image. */
  restoreProperties(props, data) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(props)) if (v !== null && v !== undefined) out[k] = v;
    out.image = data.snapshot_image_id;
    return out;
  },

  /** deletion_policy Snapshot (server.py handle_snapshot_delete): an image, then the delete. */
  async snapshotForDeletion(rc, id) {
    await snapshotImage(rc, id);
  },
};
