import { DEFAULT_DOMAIN_ID, type Directory } from './directory.js';
import { verifyPassword } from './passwords.js';
import type { Roles } from './roles.js';

export interface BootstrapPasswords {
  admin: string;
  demo: string;
}

/**
 * What `keystone-manage bootstrap` and DevStack set up: the Default domain, roles admin, member
 * and reader, user admin with role admin on project admin (and the system), and user demo with
 * role member on project demo. Runs at every start; passwords follow the configuration. It goes
 * through the directory and the roles like every other change, so cached tokens follow it too
 * (a changed password ends the user's tokens, as `keystone-manage bootstrap` does).
 */
export async function bootstrap(
  directory: Directory,
  roles: Roles,
  passwords: BootstrapPasswords,
): Promise<void> {
  await directory.ensureDefaultDomain();

  const roleIds = new Map<string, string>();
  for (const name of ['admin', 'member', 'reader', 'service']) {
    const [existing] = await roles.list({ name });
    roleIds.set(name, (existing ?? (await roles.create({ name }))).id);
  }

  const accounts = [
    { user: 'admin', project: 'admin', role: 'admin', password: passwords.admin },
    { user: 'demo', project: 'demo', role: 'member', password: passwords.demo },
  ];
  // Concurrently: the scrypt checks run on the thread pool, and two in parallel halve start-up's wait.
  await Promise.all(
    accounts.map(async (a) => {
      const project = await directory.findProject(a.project, DEFAULT_DOMAIN_ID).catch(() =>
        directory.createProject({
          name: a.project,
          description: `Bootstrap project ${a.project}`,
        }),
      );
      let user = await directory.findUser(a.user, DEFAULT_DOMAIN_ID).catch(() => undefined);
      if (!user) {
        user = await directory.createUser({
          name: a.user,
          password: a.password,
          default_project_id: project.id,
        });
      } else if (!user.password_hash || !(await verifyPassword(a.password, user.password_hash))) {
        await directory.updateUser(user.id, { password: a.password });
      }
      await roles.grant(user.id, 'project', project.id, roleIds.get(a.role)!);
      if (a.role === 'admin') await roles.grant(user.id, 'system', 'all', roleIds.get('admin')!);
    }),
  );
}
