import type { LayerStore } from '../blocks/layers.js';
import { isoNow } from '../util.js';
import {
  PowerState,
  type ComputeDriver,
  type GuestDisk,
  type GuestSpec,
  type PowerStateValue,
  type SealedDisk,
} from './driver.js';

interface FakeGuest {
  power: PowerStateValue;
  disks: Map<string, GuestDisk>;
  console: string[];
}

/**
 * No guest runs, but the disks are real: the root disk is a layer-store head that tests (and
 * `qemu-io`) may write into, and sealing it is the layer store's O(1) snapshot. Power states
 * are kept in memory and believed again after a restart (`adopt`).
 */
export class FakeDriver implements ComputeDriver {
  readonly name = 'fake';
  private readonly guests = new Map<string, FakeGuest>();

  constructor(private readonly layers: LayerStore) {}

  private guest(id: string): FakeGuest {
    let g = this.guests.get(id);
    if (!g) {
      g = { power: PowerState.SHUTDOWN, disks: new Map(), console: [] };
      this.guests.set(id, g);
    }
    return g;
  }

  private log(id: string, line: string): void {
    const g = this.guest(id);
    g.console.push(`[${isoNow()}] ${line}`);
    // A serial console is a ring buffer, not a history.
    if (g.console.length > 1000) g.console.splice(0, g.console.length - 1000);
  }

  private boot(spec: GuestSpec, how: string): void {
    const g = this.guest(spec.id);
    g.power = PowerState.RUNNING;
    for (const d of spec.disks) g.disks.set(d.device, d);
    this.log(spec.id, `${how} ${spec.name}: ${spec.vcpus} vCPU, ${spec.ramMb} MiB`);
    for (const d of spec.disks) this.log(spec.id, `disk ${d.device}: ${d.path}`);
    for (const n of spec.nics) this.log(spec.id, `nic ${n.mac}: ${n.addresses.join(' ')}`);
    this.log(spec.id, 'fake driver: no guest runs; the disks above are real');
  }

  spawn(spec: GuestSpec): Promise<void> {
    this.boot(spec, 'spawn');
    return Promise.resolve();
  }

  destroy(id: string): Promise<void> {
    this.guests.delete(id);
    return Promise.resolve();
  }

  private set(id: string, power: PowerStateValue, line: string): Promise<void> {
    this.guest(id).power = power;
    this.log(id, line);
    return Promise.resolve();
  }

  powerOff(id: string): Promise<void> {
    return this.set(id, PowerState.SHUTDOWN, 'power off');
  }

  powerOn(spec: GuestSpec): Promise<void> {
    this.boot(spec, 'power on');
    return Promise.resolve();
  }

  reboot(spec: GuestSpec, hard: boolean): Promise<void> {
    this.boot(spec, hard ? 'hard reboot' : 'reboot');
    return Promise.resolve();
  }

  pause(id: string): Promise<void> {
    return this.set(id, PowerState.PAUSED, 'pause');
  }

  unpause(id: string): Promise<void> {
    return this.set(id, PowerState.RUNNING, 'unpause');
  }

  suspend(id: string): Promise<void> {
    return this.set(id, PowerState.SUSPENDED, 'suspend');
  }

  resume(spec: GuestSpec): Promise<void> {
    this.boot(spec, 'resume');
    return Promise.resolve();
  }

  async sealRootDisk(id: string, headLayer: string): Promise<SealedDisk> {
    const started = performance.now();
    const { sealedId, newHeadId } = await this.layers.snapshot(headLayer);
    const frozenMs = performance.now() - started;
    // The console says how long writes were held, so a user (and bench/server-snapshot.ts) can
    // see that it does not grow with the disk.
    this.log(
      id,
      `root disk sealed as ${sealedId}; writes go to ${newHeadId}; writes held ${frozenMs.toFixed(3)} ms`,
    );
    return { sealedLayer: sealedId, newHeadLayer: newHeadId, frozenMs };
  }

  rescue(spec: GuestSpec, rescueDisk: GuestDisk | null): Promise<void> {
    this.boot(spec, 'rescue');
    this.log(spec.id, `rescue disk: ${rescueDisk?.path ?? 'none (fake driver)'}`);
    return Promise.resolve();
  }

  unrescue(spec: GuestSpec): Promise<void> {
    this.boot(spec, 'unrescue');
    return Promise.resolve();
  }

  attachVolume(id: string, disk: GuestDisk): Promise<void> {
    this.guest(id).disks.set(disk.device, disk);
    this.log(id, `attach ${disk.device}: ${disk.path}`);
    return Promise.resolve();
  }

  detachVolume(id: string, device: string): Promise<void> {
    this.guest(id).disks.delete(device);
    this.log(id, `detach ${device}`);
    return Promise.resolve();
  }

  consoleLog(id: string, lines?: number): Promise<string> {
    const text = (this.guests.get(id)?.console ?? []).map((l) => `${l}\n`).join('');
    if (lines === undefined) return Promise.resolve(text);
    if (lines <= 0) return Promise.resolve('');
    // Nova's _tail_log: the last `lines` pieces of the log split on newlines (the last is '').
    return Promise.resolve(text.split('\n').slice(-lines).join('\n'));
  }

  adopt(spec: GuestSpec, recorded: PowerStateValue): Promise<PowerStateValue> {
    const g = this.guest(spec.id);
    g.power = recorded;
    for (const d of spec.disks) g.disks.set(d.device, d);
    return Promise.resolve(recorded);
  }
}
