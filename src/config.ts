import path from 'node:path';

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
  };
}
