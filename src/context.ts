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
