import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { LayerStore } from '../../blocks/layers.js';
import {
  PowerState,
  type ComputeDriver,
  type GuestDisk,
  type GuestSpec,
  type PowerStateValue,
  type SealedDisk,
} from '../driver.js';
import { probeAccelerator, type AcceleratorChoice } from './accel.js';
import { writeConfigDrive } from './config-drive.js';
import { consoleTail } from './console-log.js';
import { guestImage, type GuestImage } from './guest-image.js';
import { configDriveData, deviceId, guestLaunch, guestRunDir } from './guest-launch.js';
import type { QemuLaunch } from './qemu-args.js';
import { QemuProcess, reapStale } from './qemu-process.js';
import { attachDisk, detachDisk, sealDisk } from './qmp-disks.js';

export interface QemuDriverOptions {
  dataDir: string;
  /** Where the tiny image and the unpacked kernel are cached. */
  cacheDir: string;
  /** Nova's shutdown_timeout: how long ACPI power-off may take before QEMU is ended. */
  shutdownTimeoutMs?: number;
  log?: (msg: string) => void;
  /** A guest's QEMU ended (the guest powered off, or QEMU failed): Nova's power-state sync. */
  onGuestExit?: (id: string) => void;
}

interface Guest {
  dir: string;
  proc: QemuProcess | null;
  /** Suspended is a pause here: QEMU has no managed save without libvirt (see note 0010). */
  suspended: boolean;
}

/**
 * Real guests: one QEMU process per running server, its disks the layer-store heads Nova made,
 * a config drive written from the spec, the port's fixed IP through QEMU's user network and the
 * guest's port 22 forwarded from a free port on 127.0.0.1 (written to `<run dir>/ssh-port`) and
 * from each floating IP associated when the guest starts.
 * A guest's QEMU ends with pocketstack (pdeathsig); `adopt` boots the ones recorded RUNNING.
 */
export class QemuDriver implements ComputeDriver {
  readonly name = 'qemu';
  private readonly guests = new Map<string, Guest>();
  private image: Promise<GuestImage> | null = null;
  private accel: Promise<AcceleratorChoice> | null = null;
  private closing = false;

  constructor(
    private readonly layers: LayerStore,
    private readonly opts: QemuDriverOptions,
  ) {}

  /** The tiny image, built once (cached by its inputs); the accelerator probe starts after it. */
  tinyImage(): Promise<GuestImage> {
    if (!this.image) {
      this.image = guestImage(this.opts.cacheDir);
      this.image.catch(() => (this.image = null));
    }
    return this.image;
  }

  /** Starts the tiny image's build and the accelerator probe in the background. */
  start(): void {
    void this.accelerator().then(
      (a) => this.opts.log?.(`qemu accelerator ${a.accel}: ${a.reason} (${a.probeMs} ms)`),
      (err: Error) => this.opts.log?.(`qemu accelerator probe failed: ${err.message}`),
    );
  }

  private accelerator(): Promise<AcceleratorChoice> {
    this.accel ??= this.tinyImage().then((img) => probeAccelerator(img));
    return this.accel;
  }

  private guest(id: string): Guest {
    let g = this.guests.get(id);
    if (!g) {
      g = { dir: guestRunDir(this.opts.dataDir, id), proc: null, suspended: false };
      this.guests.set(id, g);
    }
    return g;
  }

  private running(id: string): QemuProcess | null {
    const proc = this.guests.get(id)?.proc ?? null;
    return proc && proc.child.exitCode === null && proc.child.signalCode === null ? proc : null;
  }

  private mustRun(id: string): QemuProcess {
    const proc = this.running(id);
    if (!proc) throw new Error(`guest ${id} is not running`);
    return proc;
  }

  async spawn(spec: GuestSpec): Promise<void> {
    const g = this.guest(spec.id);
    if (this.running(spec.id)) return;
    const { accel } = await this.accelerator();
    fs.mkdirSync(g.dir, { recursive: true });
    reapStale(path.join(g.dir, 'qemu.pid'));
    const configDrive = path.join(g.dir, 'config-drive.iso');
    await writeConfigDrive(configDriveData(spec), configDrive);
    const sshPort = await freePort();
    const launch = (floating: boolean): QemuLaunch =>
      guestLaunch(spec, {
        dir: g.dir,
        accel,
        configDrive,
        forwards:
          spec.nics.length > 0
            ? [{ hostAddress: '127.0.0.1', hostPort: sshPort, guestPort: 22 }]
            : [],
        floating,
      });
    let proc: QemuProcess;
    try {
      proc = await QemuProcess.start(launch(true));
    } catch (err) {
      // A floating IP outside 127.0.0.0/8, or port 22 not ours to bind (not root): QEMU refuses
      // to start with a forward it cannot set up. The guest still boots, reachable on ssh-port.
      if (!spec.nics.some((n) => n.floatingIps.length > 0)) throw err;
      this.opts.log?.(`guest ${spec.id}: floating IP forwards refused: ${(err as Error).message}`);
      proc = await QemuProcess.start(launch(false));
    }
    fs.writeFileSync(path.join(g.dir, 'ssh-port'), `${sshPort}\n`);
    g.proc = proc;
    g.suspended = false;
    void proc.exited.then(() => {
      proc.qmp.close();
      if (g.proc !== proc) return;
      g.proc = null;
      if (!this.closing) this.opts.onGuestExit?.(spec.id);
    });
  }

  async destroy(id: string): Promise<void> {
    const g = this.guests.get(id);
    const dir = g?.dir ?? guestRunDir(this.opts.dataDir, id);
    await g?.proc?.stop();
    reapStale(path.join(dir, 'qemu.pid'));
    this.guests.delete(id);
    fs.rmSync(dir, { recursive: true, force: true });
  }

  /** ACPI power button; QEMU is ended after Nova's shutdown timeout if the guest ignores it. */
  async powerOff(id: string): Promise<void> {
    const proc = this.running(id);
    if (!proc) return;
    if ((await proc.status().catch(() => 'gone')) === 'running') {
      await proc.powerdown().catch(() => undefined);
      if (await proc.waitExit(this.opts.shutdownTimeoutMs ?? 60_000)) return;
    }
    await proc.stop();
  }

  async powerOn(spec: GuestSpec): Promise<void> {
    await this.spawn(spec);
  }

  /** Soft: ACPI power-off, then a new boot. Hard: system_reset of the running machine. */
  async reboot(spec: GuestSpec, hard: boolean): Promise<void> {
    const proc = this.running(spec.id);
    if (proc && hard) {
      await proc.reset();
      if ((await proc.status()) !== 'running') await proc.unpause();
      return;
    }
    await this.powerOff(spec.id);
    await this.spawn(spec);
  }

  async pause(id: string): Promise<void> {
    await this.mustRun(id).pause();
  }

  async unpause(id: string): Promise<void> {
    await this.mustRun(id).unpause();
  }

  /**
   * Nova's libvirt driver saves the guest's memory to a file (managed save) and ends QEMU. Here
   * the vCPUs are stopped and the memory stays in the QEMU process: honest for a suspend that
   * resumes in this process's life; after a restart the guest is off (see `adopt`).
   */
  async suspend(id: string): Promise<void> {
    await this.mustRun(id).pause();
    this.guest(id).suspended = true;
  }

  async resume(spec: GuestSpec): Promise<void> {
    const proc = this.running(spec.id);
    if (!proc) return this.spawn(spec);
    await proc.unpause();
    this.guest(spec.id).suspended = false;
  }

  /**
   * Same contract as the fake driver: the head is sealed as it is (sealedLayer = headLayer) and
   * a new head over it is what the guest writes to. A running guest is moved onto the new head
   * through QMP (blockdev-snapshot drains and flushes the old one); an off guest needs nothing
   * more than the layer store's snapshot.
   */
  async sealRootDisk(id: string, headLayer: string): Promise<SealedDisk> {
    const started = performance.now();
    const { sealedId, newHeadId } = await this.layers.snapshot(headLayer);
    const proc = this.running(id);
    if (!proc) {
      return {
        sealedLayer: sealedId,
        newHeadLayer: newHeadId,
        frozenMs: performance.now() - started,
      };
    }
    const { frozenMs } = await sealDisk(
      proc.qmp,
      'vda',
      this.layers.pathOf(newHeadId),
      // QEMU's node names are at most 31 characters.
      `vda-${newHeadId.replace(/-/g, '').slice(0, 12)}`,
    );
    return { sealedLayer: sealedId, newHeadLayer: newHeadId, frozenMs };
  }

  /** The rescue disk first (the guest boots it), the guest's own disks after it. */
  async rescue(spec: GuestSpec, rescueDisk: GuestDisk | null): Promise<void> {
    await this.powerOff(spec.id);
    if (!rescueDisk) return this.spawn(spec);
    const names = ['/dev/vda', '/dev/vdb', '/dev/vdc', '/dev/vdd', '/dev/vde', '/dev/vdf'];
    const disks = [rescueDisk, ...spec.disks].map((d, i) => ({
      ...d,
      device: names[i] ?? d.device,
    }));
    await this.spawn({ ...spec, disks });
  }

  async unrescue(spec: GuestSpec): Promise<void> {
    await this.powerOff(spec.id);
    await this.spawn(spec);
  }

  /** Hot-plug into a running guest; an off guest gets the disk from its spec at the next boot. */
  async attachVolume(id: string, disk: GuestDisk): Promise<void> {
    const proc = this.running(id);
    if (proc) await attachDisk(proc.qmp, deviceId(disk.device), disk.path, disk.readonly);
  }

  async detachVolume(id: string, device: string): Promise<void> {
    const proc = this.running(id);
    if (proc) await detachDisk(proc.qmp, deviceId(device));
  }

  consoleLog(id: string, lines?: number): Promise<string> {
    const file = path.join(this.guest(id).dir, 'console.log');
    if (lines !== undefined && lines <= 0) return Promise.resolve('');
    return Promise.resolve(consoleTail(file, lines));
  }

  /**
   * After a restart every QEMU of ours is gone (pdeathsig), or reaped here by its pidfile. A
   * guest recorded RUNNING (or PAUSED) is booted again from its disks; a suspended guest's
   * memory went with its process, so it is off, as is everything else.
   */
  async adopt(spec: GuestSpec, recorded: PowerStateValue): Promise<PowerStateValue> {
    const g = this.guest(spec.id);
    if (this.running(spec.id)) return g.suspended ? PowerState.SUSPENDED : recorded;
    reapStale(path.join(g.dir, 'qemu.pid'));
    if (recorded !== PowerState.RUNNING && recorded !== PowerState.PAUSED)
      return PowerState.SHUTDOWN;
    try {
      await this.spawn(spec);
      if (recorded === PowerState.PAUSED) await this.pause(spec.id);
      return recorded;
    } catch (err) {
      this.opts.log?.(`guest ${spec.id} could not be started again: ${(err as Error).message}`);
      return PowerState.SHUTDOWN;
    }
  }

  /** Ends every guest (a clean stop of pocketstack; pdeathsig covers a kill). */
  async close(): Promise<void> {
    this.closing = true;
    await Promise.all([...this.guests.values()].map((g) => g.proc?.stop(2000)));
  }
}

/** A TCP port free on 127.0.0.1 now, for a guest's ssh forward. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}
