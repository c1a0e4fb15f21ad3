import path from 'node:path';
import {
  contains,
  formatAddress,
  formatCidr,
  parseAddress,
  parseCidr,
  usableRange,
} from './services/network/ip.js';

/** The one validated configuration object; nothing else reads the environment. */
export interface Config {
  host: string;
  port: number;
  dataDir: string;
  /** Base URL put in the catalog; derived from host and the bound port when not set. */
  publicUrl: string | undefined;
  region: string;
  adminPassword: string;
  demoPassword: string;
  tokenTtlSeconds: number;
  logLevel: string;
  /** Background tasks (volume creates, snapshots, uploads) run at once, on different volumes. */
  taskWorkers: number;
  /** The external network made at first start (DevStack's `public`). */
  externalNetwork: ExternalNetworkConfig;
  /** The one compute host: its driver and size (a flavor larger than it finds no valid host). */
  compute: ComputeHostConfig;
}

export interface ComputeHostConfig {
  driver: 'fake' | 'qemu';
  vcpus: number;
  ramMb: number;
  diskGb: number;
}

export interface ExternalNetworkConfig {
  name: string;
  /** Canonical IPv4 CIDR, e.g. 127.100.0.0/24. */
  cidr: string;
  gateway: string;
  /** The floating IP pool: first and last address. */
  poolStart: string;
  poolEnd: string;
}

export class ConfigError extends Error {}

type Source = Record<string, string | undefined>;

/** Options as `--name value` flags, each with its environment variable and default. */
export const OPTIONS = [
  { flag: 'host', env: 'POCKETSTACK_HOST', def: '127.0.0.1', help: 'address to listen on' },
  {
    flag: 'port',
    env: 'POCKETSTACK_PORT',
    def: '8080',
    help: 'port to listen on (0 picks a free one)',
  },
  {
    flag: 'data-dir',
    env: 'POCKETSTACK_DATA_DIR',
    def: './data',
    help: 'where the database and image files live',
  },
  {
    flag: 'public-url',
    env: 'POCKETSTACK_PUBLIC_URL',
    def: '',
    help: 'base URL for the catalog (default http://HOST:PORT)',
  },
  {
    flag: 'region',
    env: 'POCKETSTACK_REGION',
    def: 'RegionOne',
    help: 'region name in the catalog',
  },
  {
    flag: 'admin-password',
    env: 'POCKETSTACK_ADMIN_PASSWORD',
    def: 'admin',
    help: 'password of user admin (project admin)',
  },
  {
    flag: 'demo-password',
    env: 'POCKETSTACK_DEMO_PASSWORD',
    def: 'demo',
    help: 'password of user demo (project demo)',
  },
  {
    flag: 'token-ttl',
    env: 'POCKETSTACK_TOKEN_TTL',
    def: '3600',
    help: 'token lifetime in seconds',
  },
  {
    flag: 'log-level',
    env: 'POCKETSTACK_LOG_LEVEL',
    def: 'info',
    help: 'fatal, error, warn, info, debug or silent',
  },
  {
    flag: 'task-workers',
    env: 'POCKETSTACK_TASK_WORKERS',
    def: '4',
    help: 'background tasks run at once, each on a different volume',
  },
  {
    flag: 'external-network',
    env: 'POCKETSTACK_EXTERNAL_NETWORK',
    def: 'ext-net',
    help: 'name of the external network made at first start',
  },
  {
    flag: 'external-cidr',
    env: 'POCKETSTACK_EXTERNAL_CIDR',
    def: '127.100.0.0/24',
    help: 'IPv4 range of the external network (loopback: bindable here, routed nowhere)',
  },
  {
    flag: 'external-gateway',
    env: 'POCKETSTACK_EXTERNAL_GATEWAY',
    def: '',
    help: "external subnet's gateway (default its first address)",
  },
  {
    flag: 'external-pool',
    env: 'POCKETSTACK_EXTERNAL_POOL',
    def: '',
    help: 'floating IP pool START-END inside the range (default all but the gateway)',
  },
  {
    flag: 'compute-driver',
    env: 'POCKETSTACK_COMPUTE_DRIVER',
    def: 'fake',
    help: 'how servers run: fake (no guest; real disks) or qemu (real guests)',
  },
  {
    flag: 'host-vcpus',
    env: 'POCKETSTACK_HOST_VCPUS',
    def: '64',
    help: "vCPUs of the compute host (a larger flavor's server goes to ERROR)",
  },
  {
    flag: 'host-ram-mb',
    env: 'POCKETSTACK_HOST_RAM_MB',
    def: '131072',
    help: 'memory of the compute host in MiB',
  },
  {
    flag: 'host-disk-gb',
    env: 'POCKETSTACK_HOST_DISK_GB',
    def: '2048',
    help: 'local disk of the compute host in GiB',
  },
] as const;

export type OptionName = (typeof OPTIONS)[number]['flag'];

/** Flags win over environment variables, which win over defaults. */
export function loadConfig(flags: Partial<Record<OptionName, string>>, env: Source): Config {
  const get = (name: OptionName): string => {
    const opt = OPTIONS.find((o) => o.flag === name)!;
    return flags[name] ?? env[opt.env] ?? opt.def;
  };
  const port = Number(get('port'));
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`invalid port: ${get('port')}`);
  }
  const ttl = Number(get('token-ttl'));
  if (!Number.isInteger(ttl) || ttl <= 0)
    throw new ConfigError(`invalid token lifetime: ${get('token-ttl')}`);
  const publicUrl = get('public-url').replace(/\/+$/, '');
  if (publicUrl && !/^https?:\/\//.test(publicUrl))
    throw new ConfigError(`invalid public URL: ${publicUrl}`);
  const levels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
  if (!levels.includes(get('log-level')))
    throw new ConfigError(`invalid log level: ${get('log-level')}`);
  const taskWorkers = Number(get('task-workers'));
  if (!Number.isInteger(taskWorkers) || taskWorkers < 1 || taskWorkers > 64)
    throw new ConfigError(`invalid number of task workers (1 to 64): ${get('task-workers')}`);
  for (const name of ['admin-password', 'demo-password'] as const) {
    if (!get(name)) throw new ConfigError(`${name} must not be empty`);
  }
  return {
    host: get('host'),
    port,
    dataDir: path.resolve(get('data-dir')),
    publicUrl: publicUrl || undefined,
    region: get('region'),
    adminPassword: get('admin-password'),
    demoPassword: get('demo-password'),
    tokenTtlSeconds: ttl,
    logLevel: get('log-level'),
    taskWorkers,
    externalNetwork: externalNetworkOf(get),
    compute: computeHostOf(get),
  };
}

function computeHostOf(get: (name: OptionName) => string): ComputeHostConfig {
  const driver = get('compute-driver');
  if (driver !== 'fake' && driver !== 'qemu')
    throw new ConfigError(`unknown compute driver (fake, qemu): ${driver}`);
  const size = (name: OptionName): number => {
    const n = Number(get(name));
    if (!Number.isInteger(n) || n < 1 || n > 2 ** 31 - 1)
      throw new ConfigError(`invalid ${name}: ${get(name)}`);
    return n;
  };
  return {
    driver,
    vcpus: size('host-vcpus'),
    ramMb: size('host-ram-mb'),
    diskGb: size('host-disk-gb'),
  };
}

/**
 * The external network's options: an IPv4 CIDR without host bits, with room for a gateway and a
 * pool; a gateway inside it; a pool inside it, in order and not holding the gateway.
 */
function externalNetworkOf(get: (name: OptionName) => string): ExternalNetworkConfig {
  const name = get('external-network');
  if (!name || name.length > 255) {
    throw new ConfigError(`invalid external network name (1 to 255 characters): ${name}`);
  }
  const text = get('external-cidr');
  const cidr = parseCidr(text);
  if (!cidr || cidr.version !== 4 || cidr.hostBits || cidr.prefixlen > 30) {
    throw new ConfigError(
      `invalid external CIDR (an IPv4 network of /30 or larger, e.g. 127.100.0.0/24): ${text}`,
    );
  }
  const usable = usableRange(cidr);
  const inside = (label: string, value: string): bigint => {
    const a = parseAddress(value);
    if (!a || !contains(cidr, a) || a.value < usable.first || a.value > usable.last) {
      throw new ConfigError(`${label} must be a usable address of ${formatCidr(cidr)}: ${value}`);
    }
    return a.value;
  };
  const show = (value: bigint) => formatAddress({ version: 4, value });
  const gateway = get('external-gateway')
    ? inside('external gateway', get('external-gateway'))
    : usable.first;
  let first: bigint;
  let last: bigint;
  const pool = get('external-pool');
  if (pool) {
    const parts = pool.split('-');
    if (parts.length !== 2) throw new ConfigError(`invalid external pool (START-END): ${pool}`);
    first = inside('external pool start', parts[0]!.trim());
    last = inside('external pool end', parts[1]!.trim());
    if (first > last) throw new ConfigError(`external pool start is after its end: ${pool}`);
    if (gateway >= first && gateway <= last) {
      throw new ConfigError(`external pool ${pool} holds the gateway ${show(gateway)}`);
    }
  } else {
    // The usable range without the gateway: the longer side of it.
    const below = gateway - usable.first;
    const above = usable.last - gateway;
    if (below === 0n && above === 0n) {
      throw new ConfigError(`external CIDR ${text} has no room for a pool`);
    }
    [first, last] = above >= below ? [gateway + 1n, usable.last] : [usable.first, gateway - 1n];
  }
  return {
    name,
    cidr: formatCidr(cidr),
    gateway: show(gateway),
    poolStart: show(first),
    poolEnd: show(last),
  };
}
