import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, OPTIONS, type Config, type OptionName } from '../config.js';
import { createApp } from '../app.js';
import { cloudsYaml, openrc } from './clouds.js';

const USAGE = `Usage: pocketstack <command> [options]

Commands:
  serve            serve the cloud (Keystone, Glance, Cinder, Nova, Neutron) on one port
  openrc [--admin] print OS_* variables for the demo (or admin) account
  help             show this text

Options (each also read from its environment variable):
${OPTIONS.map((o) => `  --${o.flag.padEnd(16)} ${o.help} [${o.env}, default: ${o.def || 'none'}]`).join('\n')}
`;

function parse(argv: string[]): {
  flags: Partial<Record<OptionName, string>>;
  admin: boolean;
  help: boolean;
} {
  const { values } = parseArgs({
    args: argv,
    options: {
      ...Object.fromEntries(OPTIONS.map((o) => [o.flag, { type: 'string' as const }])),
      admin: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: false,
  });
  const { admin, help, ...flags } = values as Record<string, string | boolean | undefined>;
  return {
    flags: flags as Partial<Record<OptionName, string>>,
    admin: admin === true,
    help: help === true,
  };
}

async function serve(config: Config): Promise<void> {
  const started = performance.now();
  const app = await createApp(config);
  const url = await app.listen();
  const cloudsFile = path.join(config.dataDir, 'clouds.yaml');
  fs.writeFileSync(cloudsFile, cloudsYaml(config, url), { mode: 0o600 });
  process.stdout.write(
    `pocketstack listening on ${url} (ready in ${Math.round(performance.now() - started)} ms)\n` +
      `data directory: ${config.dataDir}\n\n` +
      `Use it with the openstack CLI:\n` +
      `  export OS_CLIENT_CONFIG_FILE=${cloudsFile} OS_CLOUD=pocketstack\n` +
      `  openstack image list\n` +
      `(OS_CLOUD=pocketstack-admin for the admin account)\n\n`,
  );
  const stop = (signal: string): void => {
    app.http.log.info({ signal }, 'shutting down');
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

export async function main(argv: string[]): Promise<void> {
  const [command = 'help', ...rest] = argv;
  try {
    const { flags, admin, help } = parse(rest);
    if (help || command === 'help' || command === '--help' || command === '-h') {
      process.stdout.write(USAGE);
      return;
    }
    const config = loadConfig(flags, process.env);
    if (command === 'serve') return await serve(config);
    if (command === 'openrc') {
      const port = config.port === 0 ? 8080 : config.port;
      process.stdout.write(
        openrc(config, config.publicUrl ?? `http://${config.host}:${port}`, admin),
      );
      return;
    }
    process.stderr.write(`pocketstack: unknown command '${command}'\n\n${USAGE}`);
    process.exitCode = 2;
  } catch (err) {
    if (
      err instanceof ConfigError ||
      (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
    ) {
      process.stderr.write(`pocketstack: ${(err as Error).message}\n`);
      process.exitCode = 2;
      return;
    }
    process.stderr.write(`pocketstack: ${(err as Error).stack ?? String(err)}\n`);
    process.exitCode = 1;
  }
}
