/** Who is calling and how: what route handlers pass to the domain instead of the request. */
export interface RequestContext {
  requestId: string;
  userId: string;
  userName: string;
  userDomainId: string;
  /** The project the token is scoped to; null for domain, system or unscoped tokens. */
  projectId: string | null;
  projectName: string | null;
  domainId: string | null;
  roles: string[];
  isAdmin: boolean;
  /** The caller's own token string, for Keystone calls about "this token". */
  token: string;
}

/** The context of work the system does for a project outside any request (tasks). */
export function systemContext(projectId: string, userId: string): RequestContext {
  return {
    requestId: 'req-system',
    userId,
    userName: 'pocketstack',
    userDomainId: 'default',
    projectId,
    projectName: null,
    domainId: null,
    roles: ['admin', 'member', 'reader'],
    isAdmin: true,
    token: '',
  };
}

/**
 * The context of work done later on behalf of a user (a server's build): that user's project
 * and roles as they were when the request was made, so the work has their rights, no more.
 */
export function userContext(projectId: string, userId: string, roles: string[]): RequestContext {
  return {
    requestId: 'req-task',
    userId,
    userName: '',
    userDomainId: 'default',
    projectId,
    projectName: null,
    domainId: null,
    roles,
    isAdmin: roles.includes('admin'),
    token: '',
  };
}
