import type { Db } from '../../store/db.js';
import type { DomainRow, ProjectRow, UserRow } from '../../store/schema.js';
import { BadRequest, Conflict, Forbidden, NotFound } from '../../errors.js';
import { hexId, isoNow } from '../../util.js';
import { hashPassword } from './passwords.js';

export const DEFAULT_DOMAIN_ID = 'default';

export interface DomainInput {
  name: string;
  description?: string | null;
  enabled?: boolean;
}

export interface ProjectInput {
  name: string;
  /** Absent or null: the Default domain. */
  domain_id?: string | null;
  description?: string | null;
  enabled?: boolean;
  tags?: string[];
}

export interface UserInput {
  name: string;
  domain_id?: string;
  password?: string | null;
  enabled?: boolean;
  default_project_id?: string | null;
  description?: string | null;
  email?: string | null;
}

function duplicate(kind: string, name: string, domainId: string): Conflict {
  return new Conflict(
    `Conflict occurred attempting to store ${kind} - Duplicate entry found with name ${name} at domain ID ${domainId}.`,
  );
}

/**
 * Domains, projects and users: Keystone's identity and resource backends in one place. Every
 * change calls `changed` once it is stored, so that whoever caches what a token may do (the
 * token cache) forgets it, whichever caller made the change.
 */
export class Directory {
  constructor(
    private readonly db: Db,
    private readonly changed: () => void = () => undefined,
  ) {}

  // ---- domains ----

  /** The Default domain every deployment has (keystone-manage bootstrap); kept if it exists. */
  async ensureDefaultDomain(): Promise<void> {
    await this.db
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
    this.changed();
  }

  async getDomain(id: string): Promise<DomainRow> {
    const row = await this.db
      .selectFrom('domains')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) throw new NotFound(`Could not find domain: ${id}.`);
    return row;
  }

  async findDomainByName(name: string): Promise<DomainRow> {
    const row = await this.db
      .selectFrom('domains')
      .selectAll()
      .where('name', '=', name)
      .executeTakeFirst();
    if (!row) throw new NotFound(`Could not find domain: ${name}.`);
    return row;
  }

  async listDomains(filter: { name?: string; enabled?: boolean }): Promise<DomainRow[]> {
    let q = this.db.selectFrom('domains').selectAll().orderBy('name');
    if (filter.name !== undefined) q = q.where('name', '=', filter.name);
    if (filter.enabled !== undefined) q = q.where('enabled', '=', filter.enabled ? 1 : 0);
    return q.execute();
  }

  async createDomain(input: DomainInput): Promise<DomainRow> {
    const exists = await this.db
      .selectFrom('domains')
      .select('id')
      .where('name', '=', input.name)
      .executeTakeFirst();
    if (exists)
      throw new Conflict(
        `Conflict occurred attempting to store domain - Duplicate entry found with name ${input.name}.`,
      );
    const row: DomainRow = {
      id: hexId(),
      name: input.name,
      description: input.description ?? '',
      enabled: input.enabled === false ? 0 : 1,
      created_at: isoNow(),
    };
    await this.db.insertInto('domains').values(row).execute();
    this.changed();
    return row;
  }

  async updateDomain(id: string, patch: Partial<DomainInput>): Promise<DomainRow> {
    const row = await this.getDomain(id);
    const next = {
      name: patch.name ?? row.name,
      description: patch.description === undefined ? row.description : (patch.description ?? ''),
      enabled: patch.enabled === undefined ? row.enabled : patch.enabled ? 1 : 0,
    };
    await this.db.updateTable('domains').set(next).where('id', '=', id).execute();
    this.changed();
    return { ...row, ...next };
  }

  async deleteDomain(id: string): Promise<void> {
    const row = await this.getDomain(id);
    if (row.enabled)
      throw new Forbidden('Cannot delete a domain that is enabled, please disable it first.');
    if (id === DEFAULT_DOMAIN_ID) throw new Forbidden('Cannot delete the default domain.');
    await this.db.transaction().execute(async (trx) => {
      const projects = trx.selectFrom('projects').select('id').where('domain_id', '=', id);
      const users = trx.selectFrom('users').select('id').where('domain_id', '=', id);
      await trx.deleteFrom('role_assignments').where('target_id', 'in', projects).execute();
      await trx.deleteFrom('role_assignments').where('actor_id', 'in', users).execute();
      await trx.deleteFrom('role_assignments').where('target_id', '=', id).execute();
      await trx.deleteFrom('tokens').where('user_id', 'in', users).execute();
      await trx.deleteFrom('projects').where('domain_id', '=', id).execute();
      await trx.deleteFrom('users').where('domain_id', '=', id).execute();
      await trx.deleteFrom('domains').where('id', '=', id).execute();
    });
    this.changed();
  }

  // ---- projects ----

  async getProject(id: string): Promise<ProjectRow> {
    const row = await this.db
      .selectFrom('projects')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) throw new NotFound(`Could not find project: ${id}.`);
    return row;
  }

  async findProject(name: string, domainId: string): Promise<ProjectRow> {
    const row = await this.db
      .selectFrom('projects')
      .selectAll()
      .where('name', '=', name)
      .where('domain_id', '=', domainId)
      .executeTakeFirst();
    if (!row) throw new NotFound(`Could not find project: ${name}.`);
    return row;
  }

  async listProjects(filter: {
    name?: string;
    domain_id?: string;
    enabled?: boolean;
    ids?: string[];
  }): Promise<ProjectRow[]> {
    let q = this.db.selectFrom('projects').selectAll().orderBy('name');
    if (filter.name !== undefined) q = q.where('name', '=', filter.name);
    if (filter.domain_id !== undefined) q = q.where('domain_id', '=', filter.domain_id);
    if (filter.enabled !== undefined) q = q.where('enabled', '=', filter.enabled ? 1 : 0);
    if (filter.ids !== undefined) {
      if (filter.ids.length === 0) return [];
      q = q.where('id', 'in', filter.ids);
    }
    return q.execute();
  }

  async createProject(input: ProjectInput): Promise<ProjectRow> {
    const domainId = input.domain_id ?? DEFAULT_DOMAIN_ID;
    await this.getDomain(domainId).catch(() => {
      throw new BadRequest(`Could not find domain: ${domainId}.`);
    });
    const row: ProjectRow = {
      id: hexId(),
      name: input.name,
      domain_id: domainId,
      description: input.description ?? '',
      enabled: input.enabled === false ? 0 : 1,
      tags: JSON.stringify(input.tags ?? []),
      created_at: isoNow(),
    };
    try {
      await this.db.insertInto('projects').values(row).execute();
    } catch (err) {
      if (isUniqueViolation(err)) throw duplicate('project', input.name, domainId);
      throw err;
    }
    this.changed();
    return row;
  }

  async updateProject(
    id: string,
    patch: Partial<Omit<ProjectInput, 'domain_id'>>,
  ): Promise<ProjectRow> {
    const row = await this.getProject(id);
    const next = {
      name: patch.name ?? row.name,
      description: patch.description === undefined ? row.description : (patch.description ?? ''),
      enabled: patch.enabled === undefined ? row.enabled : patch.enabled ? 1 : 0,
      tags: patch.tags === undefined ? row.tags : JSON.stringify(patch.tags),
    };
    try {
      await this.db.updateTable('projects').set(next).where('id', '=', id).execute();
    } catch (err) {
      if (isUniqueViolation(err)) throw duplicate('project', next.name, row.domain_id);
      throw err;
    }
    this.changed();
    return { ...row, ...next };
  }

  async deleteProject(id: string): Promise<void> {
    await this.getProject(id);
    await this.db.transaction().execute(async (trx) => {
      await trx
        .deleteFrom('role_assignments')
        .where('target_type', '=', 'project')
        .where('target_id', '=', id)
        .execute();
      await trx
        .deleteFrom('tokens')
        .where('scope_type', '=', 'project')
        .where('scope_id', '=', id)
        .execute();
      await trx.deleteFrom('projects').where('id', '=', id).execute();
    });
    this.changed();
  }

  // ---- users ----

  async getUser(id: string): Promise<UserRow> {
    const row = await this.db
      .selectFrom('users')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) throw new NotFound(`Could not find user: ${id}.`);
    return row;
  }

  async findUser(name: string, domainId: string): Promise<UserRow> {
    const row = await this.db
      .selectFrom('users')
      .selectAll()
      .where('name', '=', name)
      .where('domain_id', '=', domainId)
      .executeTakeFirst();
    if (!row) throw new NotFound(`Could not find user: ${name}.`);
    return row;
  }

  async listUsers(filter: {
    name?: string;
    domain_id?: string;
    enabled?: boolean;
  }): Promise<UserRow[]> {
    let q = this.db.selectFrom('users').selectAll().orderBy('name');
    if (filter.name !== undefined) q = q.where('name', '=', filter.name);
    if (filter.domain_id !== undefined) q = q.where('domain_id', '=', filter.domain_id);
    if (filter.enabled !== undefined) q = q.where('enabled', '=', filter.enabled ? 1 : 0);
    return q.execute();
  }

  async createUser(input: UserInput): Promise<UserRow> {
    const domainId = input.domain_id ?? DEFAULT_DOMAIN_ID;
    await this.getDomain(domainId).catch(() => {
      throw new BadRequest(`Could not find domain: ${domainId}.`);
    });
    const row: UserRow = {
      id: hexId(),
      name: input.name,
      domain_id: domainId,
      password_hash: input.password ? await hashPassword(input.password) : null,
      enabled: input.enabled === false ? 0 : 1,
      default_project_id: input.default_project_id ?? null,
      description: input.description ?? null,
      email: input.email ?? null,
      created_at: isoNow(),
    };
    try {
      await this.db.insertInto('users').values(row).execute();
    } catch (err) {
      if (isUniqueViolation(err)) throw duplicate('user', input.name, domainId);
      throw err;
    }
    this.changed();
    return row;
  }

  async updateUser(id: string, patch: Partial<Omit<UserInput, 'domain_id'>>): Promise<UserRow> {
    const row = await this.getUser(id);
    const next: Partial<UserRow> = {};
    if (patch.name !== undefined) next.name = patch.name;
    if (patch.enabled !== undefined) next.enabled = patch.enabled ? 1 : 0;
    if (patch.default_project_id !== undefined) next.default_project_id = patch.default_project_id;
    if (patch.description !== undefined) next.description = patch.description;
    if (patch.email !== undefined) next.email = patch.email;
    if (patch.password !== undefined)
      next.password_hash = patch.password ? await hashPassword(patch.password) : null;
    if (Object.keys(next).length > 0) {
      try {
        await this.db.updateTable('users').set(next).where('id', '=', id).execute();
      } catch (err) {
        if (isUniqueViolation(err)) throw duplicate('user', patch.name ?? row.name, row.domain_id);
        throw err;
      }
    }
    // A disabled user or a new password ends every token the user holds, as in Keystone.
    if (next.enabled === 0 || next.password_hash !== undefined) {
      await this.db.deleteFrom('tokens').where('user_id', '=', id).execute();
    }
    this.changed();
    return { ...row, ...next };
  }

  async deleteUser(id: string): Promise<void> {
    await this.getUser(id);
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('role_assignments').where('actor_id', '=', id).execute();
      await trx.deleteFrom('tokens').where('user_id', '=', id).execute();
      await trx.deleteFrom('users').where('id', '=', id).execute();
    });
    this.changed();
  }
}

/** True for a UNIQUE or PRIMARY KEY violation, in SQLite's and PostgreSQL's words. */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: string }).code ?? '';
  return (
    code.startsWith('SQLITE_CONSTRAINT_UNIQUE') ||
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
    code === '23505'
  );
}
