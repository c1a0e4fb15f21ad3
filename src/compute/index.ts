import type { LayerStore } from '../blocks/layers.js';
import type { ComputeDriver } from './driver.js';
import { FakeDriver } from './fake-driver.js';

export type { ComputeDriver, GuestDisk, GuestSpec, PowerStateValue, SealedDisk } from './driver.js';
export { PowerState } from './driver.js';

export type DriverName = 'fake';

/** The one place a compute driver is chosen. */
export function createDriver(name: DriverName, deps: { layers: LayerStore }): ComputeDriver {
  switch (name) {
    case 'fake':
      return new FakeDriver(deps.layers);
  }
}
