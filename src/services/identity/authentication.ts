import type { DomainRow, UserRow } from '../../store/schema.js';
import { Forbidden, NotFound, Unauthorized } from '../../errors.js';
import type { Directory } from './directory.js';
import type { Roles } from './roles.js';
import type { Scope, Token, Tokens } from './tokens.js';
import { verifyPassword } from './passwords.js';
import { expecting } from './errors.js';

export const AUTH_REQUIRED = 'The request you have made requires authentication.';

/** A domain named by id or by name, as auth bodies name one. */
export interface DomainRef {
  id?: string;
  name?: string;
}

export interface UserRef extends DomainRef {
  password?: string;
  domain?: DomainRef;
}

export interface ProjectRef extends DomainRef {
  domain?: DomainRef;
}

/** The `scope` of an auth request: the string "unscoped", or an object naming one target. */
export type ScopeRequest =
  | 'unscoped'
  | string
  | {
      project?: ProjectRef;
      domain?: DomainRef;
      system?: { all?: boolean };
      'OS-TRUST:trust'?: { id?: string };
      unscoped?: unknown;
    };

/** POST /v3/auth/tokens' `auth`, checked against Keystone's token_issue schema. */
export interface AuthRequest {
  methods: string[];
  /** The method payloads `identity` carries, by name (Keystone requires one per method). */
  payloads: ReadonlySet<string>;
  password?: { user?: UserRef };
  token?: { id: string };
  scope?: ScopeRequest;
}

const SUPPORTED = ['password', 'token'];
const SCOPE_KINDS = ['project', 'domain', 'unscoped', 'system', 'OS-TRUST:trust'] as const;

/** Keystone's keystone.auth.core.AuthInfo and its password and token plugins. */
export class Authenticator {
  constructor(
    private readonly directory: Directory,
    private readonly roles: Roles,
    private readonly tokens: Tokens,
  ) {}

  async authenticate(auth: AuthRequest): Promise<{ id: string; token: Token }> {
    const methods = [...new Set(auth.methods)];
    for (const m of methods) if (!auth.payloads.has(m)) throw expecting(m, 'identity');
    for (const m of methods) {
      if (!SUPPORTED.includes(m)) {
        throw new Unauthorized('Attempted to authenticate with an unsupported method.');
      }
    }
    const scoped = this.scopeKind(auth.scope);

    let user: UserRow;
    let parent: Token | undefined;
    if (methods.includes('password')) {
      user = await this.passwordUser(auth.password?.user);
    } else if (methods.includes('token')) {
      parent = await this.tokens.validate(auth.token!.id).catch(() => {
        throw new Unauthorized(AUTH_REQUIRED);
      });
      user = parent.user;
    } else {
      // No method at all: Keystone's "User not found by auth plugin", shown as the plain 401.
      throw new Unauthorized(AUTH_REQUIRED);
    }

    const scope = await this.resolveScope(scoped, auth.scope, user);
    const all = [...new Set([...(parent?.methods ?? []), ...methods])];
    try {
      return await this.tokens.issue(user, scope, all, parent);
    } catch (err) {
      // The user holds no role on the requested target.
      if (err instanceof NotFound) throw new Unauthorized(AUTH_REQUIRED);
      throw err;
    }
  }

  /** Which one target the scope names; more or fewer than one is Keystone's 400. */
  private scopeKind(scope: ScopeRequest | undefined): (typeof SCOPE_KINDS)[number] | undefined {
    if (scope === undefined) return undefined;
    // The only string scope is "unscoped" (keystoneauth's explicit unscoped request); Keystone
    // would fail with a 500 on any other string that names a target.
    const kinds =
      typeof scope === 'string'
        ? SCOPE_KINDS.filter((k) => k === 'unscoped' && scope === 'unscoped')
        : SCOPE_KINDS.filter((k) => Object.hasOwn(scope, k));
    if (kinds.length !== 1) {
      throw expecting('system, project, domain, OS-TRUST:trust or unscoped', 'scope');
    }
    return kinds[0];
  }

  private async passwordUser(ref: UserRef | undefined): Promise<UserRow> {
    if (!ref) throw expecting('user', 'password');
    if (!ref.id && !ref.name) throw expecting('id or name', 'user');
    let user: UserRow;
    try {
      if (ref.name) {
        if (!ref.domain) throw expecting('domain', 'user');
        const domain = await this.domain(ref.domain);
        user = await this.directory.findUser(ref.name, domain.id);
      } else {
        user = await this.directory.getUser(ref.id!);
        const domain = await this.directory.getDomain(user.domain_id);
        if (!domain.enabled) throw new Unauthorized(AUTH_REQUIRED);
      }
    } catch (err) {
      if (err instanceof NotFound) throw new Unauthorized(AUTH_REQUIRED);
      throw err;
    }
    const secret = ref.password;
    if (
      !user.enabled ||
      secret === undefined ||
      !user.password_hash ||
      !(await verifyPassword(secret, user.password_hash))
    ) {
      throw new Unauthorized(AUTH_REQUIRED);
    }
    return user;
  }

  /** By name when one is given, else by id; unknown or disabled is a 401. */
  private async domain(ref: DomainRef): Promise<DomainRow> {
    const domain = await (
      ref.name ? this.directory.findDomainByName(ref.name) : this.directory.getDomain(ref.id ?? '')
    ).catch((err) => {
      if (err instanceof NotFound) throw new Unauthorized(AUTH_REQUIRED);
      throw err;
    });
    if (!domain.enabled) throw new Unauthorized(AUTH_REQUIRED);
    return domain;
  }

  private async resolveScope(
    kind: (typeof SCOPE_KINDS)[number] | undefined,
    scope: ScopeRequest | undefined,
    user: UserRow,
  ): Promise<Scope> {
    if (kind === undefined) return this.defaultScope(user);
    if (kind === 'unscoped') return { type: 'unscoped' };
    if (kind === 'system') return { type: 'system' };
    const target = scope as Exclude<ScopeRequest, string>;
    if (kind === 'domain') return { type: 'domain', domain: await this.domain(target.domain!) };
    if (kind === 'project') {
      const ref = target.project!;
      try {
        let project;
        if (ref.name) {
          if (!ref.domain) throw expecting('domain', 'project');
          const domain = await this.domain(ref.domain);
          project = await this.directory.findProject(ref.name, domain.id);
        } else {
          project = await this.directory.getProject(ref.id ?? '');
        }
        const domain = await this.domain({ id: project.domain_id });
        if (!project.enabled) throw new Unauthorized(AUTH_REQUIRED);
        return { type: 'project', project, domain };
      } catch (err) {
        if (err instanceof NotFound) throw new Unauthorized(AUTH_REQUIRED);
        throw err;
      }
    }
    throw new Forbidden('Trusts are not supported.');
  }

  /** Without a scope Keystone uses the user's default project when the user has a role there. */
  private async defaultScope(user: UserRow): Promise<Scope> {
    if (user.default_project_id) {
      const project = await this.directory
        .getProject(user.default_project_id)
        .catch(() => undefined);
      if (project && (await this.roles.effective(user.id, 'project', project.id)).length > 0) {
        return {
          type: 'project',
          project,
          domain: await this.directory.getDomain(project.domain_id),
        };
      }
    }
    return { type: 'unscoped' };
  }
}
