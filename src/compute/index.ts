import type { LayerStore } from '../blocks/layers.js';
import type { ComputeDriver } from './driver.js';
import { FakeDriver } from './fake-driver.js';
import { QemuDriver, type QemuDriverOptions } from './qemu/driver.js';

export type {
  ComputeDriver,
  DirectBoot,
  GuestAddress,
  GuestDisk,
  GuestSpec,
  PowerStateValue,
  SealedDisk,
} from './driver.js';
export { PowerState } from './driver.js';

export { QemuDriver } from './qemu/driver.js';

export type DriverName = 'fake' | 'qemu';
export const DRIVER_NAMES: readonly DriverName[] = ['fake', 'qemu'];

/**
 * The one place a compute driver is chosen. The qemu driver starts building its tiny image and
 * probing the accelerator at once, in the background, so the first spawn finds both ready.
 */
export function createDriver(
  name: DriverName,
  deps: { layers: LayerStore; qemu: QemuDriverOptions },
): ComputeDriver {
  switch (name) {
    case 'fake':
      return new FakeDriver(deps.layers);
    case 'qemu': {
      const driver = new QemuDriver(deps.layers, deps.qemu);
      driver.start();
      return driver;
    }
  }
}
