// The tempest.conf pieces every suite shares, and writing a suite's conf into its workspace.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

export const ADMIN_PASSWORD = 'admin';

/** Formats Tempest may use for the images it creates: bare and raw first, as tests take the first. */
export const IMAGE_FORMATS_CONF = `[image]
container_formats = bare,ovf,ami,ari,aki,ova
disk_formats = raw,qcow2,vhd,vmdk,vdi,iso,ami,ari,aki
`;

/** The tempest.conf sections every suite shares: dynamic credentials against our Keystone. */
export const COMMON_CONF = `[DEFAULT]
log_file = tempest.log

[auth]
use_dynamic_credentials = true
create_isolated_networks = false
admin_username = admin
admin_password = @ADMIN_PASSWORD@
admin_project_name = admin
admin_domain_name = Default
default_credentials_domain_name = Default

[identity]
auth_version = v3
uri_v3 = http://127.0.0.1:@PORT@/identity/v3
region = RegionOne
v3_endpoint_type = public

[identity-feature-enabled]
api_v2 = false
`;

/** Fills @NAME@ placeholders (ADMIN_PASSWORD, PORT, WORKSPACE and any extras) and writes etc/tempest.conf. */
export function writeConfig(
  workspace: string,
  template: string,
  vars: Record<string, string>,
): void {
  let conf = template;
  for (const [k, v] of Object.entries(vars)) conf = conf.replaceAll(`@${k}@`, v);
  const leftover = /@[A-Z_]+@/.exec(conf);
  assert.equal(
    leftover,
    null,
    `unfilled placeholder ${leftover?.[0]} in the tempest.conf template`,
  );
  // Log to the workspace (appending, safe with several workers) instead of cwd.
  conf = conf.replace(
    /^log_file\s*=.*$/m,
    `log_file = tempest.log\nlog_dir = ${path.join(workspace, 'logs')}`,
  );
  fs.mkdirSync(path.join(workspace, 'lock'), { recursive: true });
  fs.mkdirSync(path.join(workspace, 'logs'), { recursive: true });
  fs.writeFileSync(path.join(workspace, 'etc', 'tempest.conf'), conf);
  // etc/logging.conf (copied by `tempest init`) would override log_file and truncate per worker.
  fs.rmSync(path.join(workspace, 'etc', 'logging.conf'), { force: true });
}

/** [heat_plugin]'s endpoint and accounts, as both heat-tempest-plugin suites give them: the
 *  demo user, the admin for admin-only calls, our Keystone and region. */
export const HEAT_PLUGIN_ACCOUNTS = `catalog_type = orchestration
auth_url = http://127.0.0.1:@PORT@/identity/v3
auth_version = 3
username = demo
password = demo
project_name = demo
admin_username = admin
admin_password = @ADMIN_PASSWORD@
admin_project_name = admin
user_domain_name = Default
project_domain_name = Default
region = RegionOne
endpoint_type = public`;
