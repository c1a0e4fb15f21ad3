import type { QmpClient } from './qmp.js';

interface BlockInfo {
  device: string;
  qdev?: string;
  inserted?: { 'node-name'?: string; file?: string };
}

/** The node a device (by its QEMU id, e.g. `vda`) writes to now: it moves with each seal. */
export async function activeNode(qmp: QmpClient, deviceId: string): Promise<string> {
  const blocks = await qmp.execute<BlockInfo[]>('query-block');
  const b = blocks.find(
    (x) => x.qdev === deviceId || x.qdev === `/machine/peripheral/${deviceId}/virtio-backend`,
  );
  const node = b?.inserted?.['node-name'];
  if (!node) throw new Error(`no block device ${deviceId} in the guest`);
  return node;
}

/**
 * Seals a running guest's disk: the qcow2 file `overlayPath` (made by the caller with the
 * current head as its backing file, `qemu-img create -b`) is added as a node with no backing
 * yet, then `blockdev-snapshot` makes it the device's active layer over the current head. QEMU
 * drains and flushes the old head first, so what the guest wrote and synced is in it; from then
 * on the old head is read-only and the guest writes to the overlay. Returns the milliseconds the
 * guest's I/O was held (the command's span: the drain is inside it), whatever the disk's size.
 */
export async function sealDisk(
  qmp: QmpClient,
  deviceId: string,
  overlayPath: string,
  overlayNode: string,
): Promise<{ sealedNode: string; frozenMs: number }> {
  const node = await activeNode(qmp, deviceId);
  await qmp.execute('blockdev-add', {
    driver: 'qcow2',
    'node-name': overlayNode,
    file: { driver: 'file', filename: overlayPath },
    backing: null,
  });
  const started = process.hrtime.bigint();
  try {
    await qmp.execute('blockdev-snapshot', { node, overlay: overlayNode });
  } catch (err) {
    await qmp.execute('blockdev-del', { 'node-name': overlayNode }).catch(() => undefined);
    throw err;
  }
  const frozenMs = Number(process.hrtime.bigint() - started) / 1e6;
  return { sealedNode: node, frozenMs };
}

/** Hot-plugs a qcow2 head as a new virtio disk: the guest sees a new /dev/vdX. */
export async function attachDisk(
  qmp: QmpClient,
  deviceId: string,
  path: string,
  readonly: boolean,
): Promise<void> {
  const node = `${deviceId}-qcow2`;
  await qmp.execute('blockdev-add', {
    driver: 'qcow2',
    'node-name': node,
    'read-only': readonly,
    file: { driver: 'file', filename: path, 'read-only': readonly },
  });
  try {
    await qmp.execute('device_add', { driver: 'virtio-blk-pci', drive: node, id: deviceId });
  } catch (err) {
    await qmp.execute('blockdev-del', { 'node-name': node }).catch(() => undefined);
    throw err;
  }
}

/**
 * Unplugs a hot-plugged disk. device_del asks the guest (ACPI PCI hot-unplug); the device is
 * gone at DEVICE_DELETED, and only then may its block node be deleted and its file reused.
 */
export async function detachDisk(
  qmp: QmpClient,
  deviceId: string,
  timeoutMs = 30_000,
): Promise<void> {
  const node = await activeNode(qmp, deviceId);
  const deleted = qmp.waitEvent('DEVICE_DELETED', timeoutMs, (e) => e.data?.device === deviceId);
  try {
    await qmp.execute('device_del', { id: deviceId });
  } catch (err) {
    deleted.catch(() => undefined);
    throw err;
  }
  await deleted;
  await qmp.execute('blockdev-del', { 'node-name': node });
}
