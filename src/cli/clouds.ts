import type { Config } from '../config.js';

interface Account {
  cloud: string;
  user: string;
  project: string;
  password: string;
}

function accounts(config: Config): Account[] {
  return [
    { cloud: 'pocketstack', user: 'demo', project: 'demo', password: config.demoPassword },
    { cloud: 'pocketstack-admin', user: 'admin', project: 'admin', password: config.adminPassword },
  ];
}

/** JSON strings are valid YAML scalars, so values need no YAML library to be quoted safely. */
const q = (s: string): string => JSON.stringify(s);

/** The clouds.yaml written to the data directory at start. */
export function cloudsYaml(config: Config, url: string): string {
  const lines = ['clouds:'];
  for (const a of accounts(config)) {
    lines.push(
      `  ${a.cloud}:`,
      `    auth:`,
      `      auth_url: ${q(`${url}/identity`)}`,
      `      username: ${q(a.user)}`,
      `      password: ${q(a.password)}`,
      `      project_name: ${q(a.project)}`,
      `      user_domain_name: "Default"`,
      `      project_domain_name: "Default"`,
      `    region_name: ${q(config.region)}`,
      `    interface: "public"`,
      `    identity_api_version: 3`,
    );
  }
  return lines.join('\n') + '\n';
}

const sh = (s: string): string => `'${s.replaceAll("'", `'\\''`)}'`;

/** `pocketstack openrc [--admin]`: the same account as OS_* exports. */
export function openrc(config: Config, url: string, admin: boolean): string {
  const a = accounts(config)[admin ? 1 : 0]!;
  return [
    `export OS_AUTH_URL=${sh(`${url}/identity`)}`,
    `export OS_USERNAME=${sh(a.user)}`,
    `export OS_PASSWORD=${sh(a.password)}`,
    `export OS_PROJECT_NAME=${sh(a.project)}`,
    `export OS_USER_DOMAIN_NAME=Default`,
    `export OS_PROJECT_DOMAIN_NAME=Default`,
    `export OS_REGION_NAME=${sh(config.region)}`,
    `export OS_INTERFACE=public`,
    `export OS_IDENTITY_API_VERSION=3`,
    '',
  ].join('\n');
}
