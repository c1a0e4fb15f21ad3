import type {
  DomainRow,
  ProjectRow,
  RoleAssignmentRow,
  RoleRow,
  UserRow,
} from '../../../store/schema.js';

/** Wire forms of Keystone's directory resources; `base` is `<public>/identity/v3`. */

export function domainView(d: DomainRow, base: string): Record<string, unknown> {
  return {
    id: d.id,
    name: d.name,
    description: d.description,
    enabled: d.enabled === 1,
    tags: [],
    options: {},
    links: { self: `${base}/domains/${d.id}` },
  };
}

export function projectView(p: ProjectRow, base: string): Record<string, unknown> {
  return {
    id: p.id,
    name: p.name,
    domain_id: p.domain_id,
    description: p.description,
    enabled: p.enabled === 1,
    parent_id: p.domain_id,
    is_domain: false,
    tags: JSON.parse(p.tags) as string[],
    options: {},
    links: { self: `${base}/projects/${p.id}` },
  };
}

export function userView(u: UserRow, base: string): Record<string, unknown> {
  const view: Record<string, unknown> = {
    id: u.id,
    name: u.name,
    domain_id: u.domain_id,
    enabled: u.enabled === 1,
    password_expires_at: null,
    options: {},
    links: { self: `${base}/users/${u.id}` },
  };
  if (u.default_project_id) view.default_project_id = u.default_project_id;
  if (u.description !== null) view.description = u.description;
  if (u.email !== null) view.email = u.email;
  return view;
}

export function roleView(r: RoleRow, base: string): Record<string, unknown> {
  return {
    id: r.id,
    name: r.name,
    domain_id: r.domain_id,
    description: r.description,
    options: {},
    links: { self: `${base}/roles/${r.id}` },
  };
}

export function assignmentView(a: RoleAssignmentRow, base: string): Record<string, unknown> {
  const scope =
    a.target_type === 'system'
      ? { system: { all: true } }
      : { [a.target_type]: { id: a.target_id } };
  const targetPath = a.target_type === 'system' ? 'system' : `${a.target_type}s/${a.target_id}`;
  return {
    role: { id: a.role_id },
    user: { id: a.actor_id },
    scope,
    links: { assignment: `${base}/${targetPath}/users/${a.actor_id}/roles/${a.role_id}` },
  };
}

export function collection(
  name: string,
  items: unknown[],
  selfUrl: string,
): Record<string, unknown> {
  return { [name]: items, links: { self: selfUrl, previous: null, next: null } };
}
