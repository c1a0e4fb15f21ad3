import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../../store/db.js';
import type { DomainRow, ProjectRow, RoleRow, UserRow } from '../../store/schema.js';
import { NotFound } from '../../errors.js';
import type { Directory } from './directory.js';
import type { Roles } from './roles.js';

export type Scope =
  | { type: 'project'; project: ProjectRow; domain: DomainRow }
  | { type: 'domain'; domain: DomainRow }
  | { type: 'system' }
  | { type: 'unscoped' };

/** A valid token, with everything a response or a policy check needs, resolved. */
export interface Token {
  user: UserRow;
  userDomain: DomainRow;
  scope: Scope;
  roles: RoleRow[];
  methods: string[];
  auditIds: string[];
  issuedAt: string;
  expiresAt: string;
}

// Entries beyond this are dropped wholesale: the cache is an optimisation, the table is the truth.
const CACHE_LIMIT = 50_000;

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Keystone-style audit id: 16 random bytes, urlsafe base64 without padding (22 characters). */
function auditId(): string {
  return randomBytes(16).toString('base64url');
}

/**
 * Opaque bearer tokens. The database holds only their sha256, so they survive a restart and can
 * be revoked; validation is cached in memory and the cache is dropped on any identity change.
 */
export class Tokens {
  private cache = new Map<string, Token>();
  // Bumped by every forgetCached(): a validation that started before a change must not put
  // what it read into the cache after the change emptied it.
  private generation = 0;

  constructor(
    private readonly db: Db,
    private readonly directory: Directory,
    private readonly roles: Roles,
    private readonly ttlSeconds: number,
  ) {}

  async issue(
    user: UserRow,
    scope: Scope,
    methods: string[],
    parent?: Token,
  ): Promise<{ id: string; token: Token }> {
    const id = randomBytes(32).toString('base64url');
    const issuedAt = new Date().toISOString();
    // A token made from another token keeps the original's expiry, as in Keystone.
    const expiresAt =
      parent?.expiresAt ?? new Date(Date.now() + this.ttlSeconds * 1000).toISOString();
    const audit = auditId();
    await this.db
      .insertInto('tokens')
      .values({
        id_hash: hashToken(id),
        user_id: user.id,
        scope_type: scope.type,
        scope_id:
          scope.type === 'project'
            ? scope.project.id
            : scope.type === 'domain'
              ? scope.domain.id
              : null,
        methods: JSON.stringify(methods),
        audit_id: audit,
        parent_audit_id: parent?.auditIds[0] ?? null,
        issued_at: issuedAt,
        expires_at: expiresAt,
      })
      .execute();
    try {
      return { id, token: await this.validate(id) };
    } catch (err) {
      // No role on the requested target: the token never becomes valid, so keep no row of it.
      await this.db.deleteFrom('tokens').where('id_hash', '=', hashToken(id)).execute();
      throw err;
    }
  }

  /** Resolves a token string; throws NotFound for unknown, expired or no-longer-valid tokens. */
  async validate(id: string): Promise<Token> {
    const cached = this.cache.get(id);
    if (cached) {
      if (cached.expiresAt > new Date().toISOString()) return cached;
      this.cache.delete(id);
    }
    const generation = this.generation;
    const token = await this.load(id);
    if (generation !== this.generation) return token;
    if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
    this.cache.set(id, token);
    return token;
  }

  async revoke(id: string): Promise<void> {
    await this.validate(id);
    this.cache.delete(id);
    await this.db.deleteFrom('tokens').where('id_hash', '=', hashToken(id)).execute();
  }

  /** Called by the directory and the roles after any change to who may do what. */
  forgetCached(): void {
    this.generation++;
    this.cache.clear();
  }

  async deleteExpired(): Promise<void> {
    await this.db
      .deleteFrom('tokens')
      .where('expires_at', '<=', new Date().toISOString())
      .execute();
  }

  private async load(id: string): Promise<Token> {
    const notFound = new NotFound(`Could not find token: ${id}.`);
    const row = await this.db
      .selectFrom('tokens')
      .selectAll()
      .where('id_hash', '=', hashToken(id))
      .executeTakeFirst();
    if (!row || row.expires_at <= new Date().toISOString()) throw notFound;
    const user = await this.directory.getUser(row.user_id).catch(() => undefined);
    if (!user || !user.enabled) throw notFound;
    const userDomain = await this.directory.getDomain(user.domain_id);
    if (!userDomain.enabled) throw notFound;

    let scope: Scope;
    let roles: RoleRow[] = [];
    if (row.scope_type === 'project') {
      const project = await this.directory.getProject(row.scope_id!).catch(() => undefined);
      if (!project || !project.enabled) throw notFound;
      const domain = await this.directory.getDomain(project.domain_id);
      scope = { type: 'project', project, domain };
      roles = await this.roles.effective(user.id, 'project', project.id);
    } else if (row.scope_type === 'domain') {
      const domain = await this.directory.getDomain(row.scope_id!).catch(() => undefined);
      if (!domain || !domain.enabled) throw notFound;
      scope = { type: 'domain', domain };
      roles = await this.roles.effective(user.id, 'domain', domain.id);
    } else if (row.scope_type === 'system') {
      scope = { type: 'system' };
      roles = await this.roles.effective(user.id, 'system', 'all');
    } else {
      scope = { type: 'unscoped' };
    }
    // A scoped token whose roles were all revoked is no longer valid.
    if (scope.type !== 'unscoped' && roles.length === 0) throw notFound;

    return {
      user,
      userDomain,
      scope,
      roles,
      methods: JSON.parse(row.methods) as string[],
      auditIds: row.parent_audit_id ? [row.audit_id, row.parent_audit_id] : [row.audit_id],
      issuedAt: row.issued_at,
      expiresAt: row.expires_at,
    };
  }
}
