import type { Token } from '../tokens.js';
import type { CatalogEntry } from '../catalog.js';
import { isoMicros } from '../../../util.js';

/** The `token` object of POST/GET /v3/auth/tokens. */
export function tokenView(token: Token, catalog: CatalogEntry[] | null): unknown {
  const body: Record<string, unknown> = {
    methods: token.methods,
    user: {
      domain: { id: token.userDomain.id, name: token.userDomain.name },
      id: token.user.id,
      name: token.user.name,
      password_expires_at: null,
    },
    audit_ids: token.auditIds,
    expires_at: isoMicros(token.expiresAt),
    issued_at: isoMicros(token.issuedAt),
  };
  const scope = token.scope;
  if (scope.type === 'project') {
    body.project = {
      domain: { id: scope.domain.id, name: scope.domain.name },
      id: scope.project.id,
      name: scope.project.name,
    };
    body.is_domain = false;
  } else if (scope.type === 'domain') {
    body.domain = { id: scope.domain.id, name: scope.domain.name };
  } else if (scope.type === 'system') {
    body.system = { all: true };
  }
  if (scope.type !== 'unscoped') body.roles = token.roles.map((r) => ({ id: r.id, name: r.name }));
  if (catalog) body.catalog = catalog;
  return { token: body };
}
