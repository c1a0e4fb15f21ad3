import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { RequestContext } from '../../context.js';
import type { Db } from '../../store/db.js';
import { isoNow } from '../../util.js';
import { requireAdmin } from './policy.js';
import type { ComputeHost } from './server-work.js';

/** One of the services DevStack runs on its one host, as os-services lists them. */
export interface ServiceInfo {
  /** The integer id below 2.53. */
  id: number;
  uuid: string;
  binary: string;
  host: string;
  zone: string;
  /** The last heartbeat (Nova's services report every 10 s). */
  updatedAt: string;
}

/** The one hypervisor: the host's size and what its servers use. */
export interface HypervisorInfo {
  id: number;
  uuid: string;
  hostname: string;
  host: string;
  service: ServiceInfo;
  vcpus: number;
  memoryMb: number;
  localGb: number;
  vcpusUsed: number;
  memoryMbUsed: number;
  localGbUsed: number;
  runningVms: number;
  servers: { name: string; uuid: string }[];
}

/** Nova's reserved_host_memory_mb default: counted as used on every host. */
const RESERVED_MB = 512;

/** A stable uuid for one of the host's records (Nova makes them once; these never change). */
function stableUuid(kind: string, host: string): string {
  const h = createHash('sha1').update(`pocketstack:${kind}:${host}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * The compute host as Nova's admin APIs see it (os-services, os-hypervisors,
 * os-availability-zone): one host running nova-scheduler and nova-conductor (zone `internal`)
 * and nova-compute (the servers' zone), like a DevStack all-in-one.
 */
export class Hosts {
  constructor(
    private readonly db: Db,
    private readonly host: ComputeHost,
  ) {}

  private heartbeat(): string {
    const now = Date.parse(isoNow());
    return new Date(now - (now % 10_000)).toISOString();
  }

  private allServices(): ServiceInfo[] {
    const updatedAt = this.heartbeat();
    const host = this.host.name;
    return [
      ['nova-scheduler', 'internal'],
      ['nova-conductor', 'internal'],
      ['nova-compute', this.host.availabilityZone],
    ].map(([binary, zone], i) => ({
      id: i + 1,
      uuid: stableUuid(binary!, host),
      binary: binary!,
      host,
      zone: zone!,
      updatedAt,
    }));
  }

  /** os-services (admin): filtered by exact host and binary, as Nova's index. */
  services(ctx: RequestContext, filter: { host?: string; binary?: string }): ServiceInfo[] {
    requireAdmin(ctx, 'os-services:list');
    return this.allServices().filter(
      (s) =>
        (!filter.host || s.host === filter.host) && (!filter.binary || s.binary === filter.binary),
    );
  }

  /** The zones users see: the compute's zone (the internal one is left out). */
  zones(): string[] {
    return [this.host.availabilityZone];
  }

  /** os-availability-zone/detail (admin): every zone with its hosts' services. */
  zoneDetail(ctx: RequestContext): Map<string, ServiceInfo[]> {
    requireAdmin(ctx, 'os-availability-zone:detail');
    const out = new Map<string, ServiceInfo[]>();
    for (const s of this.allServices()) {
      const list = out.get(s.zone) ?? [];
      list.push(s);
      out.set(s.zone, list);
    }
    return out;
  }

  /** The hypervisor, for the admin rule `os-hypervisors:<rule>`. */
  async hypervisor(ctx: RequestContext, rule: string): Promise<HypervisorInfo> {
    requireAdmin(ctx, `os-hypervisors:${rule}`);
    const host = this.host.name;
    const servers = await this.db
      .selectFrom('servers')
      .select(['id', 'name', 'vcpus', 'memory_mb', 'flavor'])
      .where('host', '=', host)
      .orderBy(sql`rowid`)
      .execute();
    let disk = 0;
    for (const s of servers) {
      try {
        const f = JSON.parse(s.flavor) as { disk?: number; ephemeral?: number };
        disk += (f.disk ?? 0) + (f.ephemeral ?? 0);
      } catch {
        // An unreadable flavor counts no disk.
      }
    }
    return {
      id: 1,
      uuid: stableUuid('compute-node', host),
      hostname: host,
      host,
      service: this.allServices().find((s) => s.binary === 'nova-compute')!,
      vcpus: this.host.vcpus,
      memoryMb: this.host.ramMb,
      localGb: this.host.diskGb,
      vcpusUsed: servers.reduce((n, s) => n + s.vcpus, 0),
      memoryMbUsed: RESERVED_MB + servers.reduce((n, s) => n + s.memory_mb, 0),
      localGbUsed: disk,
      runningVms: servers.length,
      servers: servers.map((s) => ({ name: `instance-${s.id.slice(0, 8)}`, uuid: s.id })),
    };
  }
}
