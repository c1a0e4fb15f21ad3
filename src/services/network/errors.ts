import { DomainError } from '../../errors.js';

/**
 * A Neutron exception: its HTTP status, the class name clients read from `type`
 * (python-neutronclient and Heat map errors by it) and its message. Neutron's texts come from
 * neutron_lib/exceptions and neutron/extensions; keep them word for word.
 */
export class NeutronFault extends DomainError {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

/** The `type` of errors that are not Neutron exceptions, as webob names them. */
const WEBOB_TYPES: Record<number, string> = {
  400: 'HTTPBadRequest',
  401: 'HTTPUnauthorized',
  403: 'HTTPForbidden',
  404: 'HTTPNotFound',
  405: 'HTTPMethodNotAllowed',
  409: 'HTTPConflict',
  412: 'HTTPPreconditionFailed',
  413: 'HTTPRequestEntityTooLarge',
  415: 'HTTPUnsupportedMediaType',
  500: 'HTTPInternalServerError',
  501: 'HTTPNotImplemented',
};

/** `{"NeutronError": {"type", "message", "detail"}}`, the body of every Neutron error. */
export function renderNetworkError(err: DomainError): unknown {
  const type =
    err instanceof NeutronFault ? err.type : (WEBOB_TYPES[err.status] ?? 'NeutronException');
  return { NeutronError: { type, message: err.message, detail: '' } };
}

/** webob's HTTPBadRequest with Neutron's text: how the API layer refuses a body or query. */
export function badRequest(message: string): NeutronFault {
  return new NeutronFault(400, 'HTTPBadRequest', message);
}

/** neutron_lib InvalidInput: "Invalid input for operation: <reason>." */
export function invalidInput(reason: string): NeutronFault {
  return new NeutronFault(400, 'InvalidInput', `Invalid input for operation: ${reason}.`);
}

/** The `<Resource>NotFound` of each resource: "<Resource> <id> could not be found." */
export function notFound(resource: NotFoundResource, id: string): NeutronFault {
  const { type, text } = NOT_FOUND[resource];
  return new NeutronFault(404, type, text(id));
}

export type NotFoundResource = keyof typeof NOT_FOUND;

const NOT_FOUND = {
  network: { type: 'NetworkNotFound', text: (id: string) => `Network ${id} could not be found.` },
  subnet: { type: 'SubnetNotFound', text: (id: string) => `Subnet ${id} could not be found.` },
  subnetpool: {
    type: 'SubnetPoolNotFound',
    text: (id: string) => `Subnet pool ${id} could not be found.`,
  },
  port: { type: 'PortNotFound', text: (id: string) => `Port ${id} could not be found.` },
  router: { type: 'RouterNotFound', text: (id: string) => `Router ${id} could not be found` },
  floatingip: {
    type: 'FloatingIPNotFound',
    text: (id: string) => `Floating IP ${id} could not be found`,
  },
  security_group: {
    type: 'SecurityGroupNotFound',
    text: (id: string) => `Security group ${id} does not exist`,
  },
  security_group_rule: {
    type: 'SecurityGroupRuleNotFound',
    text: (id: string) => `Security group rule ${id} does not exist`,
  },
} as const;

/** neutron_lib InUse and the like: a 409 with its own type. */
export function conflict(type: string, message: string): NeutronFault {
  return new NeutronFault(409, type, message);
}
