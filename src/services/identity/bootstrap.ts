import type { Db } from '../../store/db.js';
import { isoNow } from '../../util.js';
import { DEFAULT_DOMAIN_ID, type Directory } from './directory.js';
import { hashPassword, verifyPassword } from './passwords.js';
import type { Roles } from './roles.js';

export interface BootstrapPasswords {
  admin: string;
  demo: string;
}

/**
 * What `keystone-manage bootstrap` and DevStack set up: the Default domain, roles admin, member
 * and reader, user admin with role admin on project admin (and the system), and user demo with
 * role member on project demo. Runs at every start; passwords follow the configuration.
 */
export async function bootstrap(
  db: Db,
  directory: Directory,
  roles: Roles,
  passwords: BootstrapPasswords,
): Promise<void> {
  await db
    .insertInto('domains')
    .values({
      id: DEFAULT_DOMAIN_ID,
      name: 'Default',
      description: 'The default domain',
      enabled: 1,
      created_at: isoNow(),
    })
    .onConflict((oc) => oc.doNothing())
    .execute();

  const roleIds: Record<string, string> = {};
  for (const name of ['admin', 'member', 'reader', 'service']) {
    const [existing] = await roles.list({ name });
    roleIds[name] = (existing ?? (await roles.create({ name }))).id;
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
        await db
          .updateTable('users')
          .set({ password_hash: await hashPassword(a.password) })
          .where('id', '=', user.id)
          .execute();
      }
      await roles.grant(user.id, 'project', project.id, roleIds[a.role]!);
      if (a.role === 'admin') await roles.grant(user.id, 'system', 'all', roleIds.admin!);
    }),
  );
}
