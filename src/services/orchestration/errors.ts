import { DomainError } from '../../errors.js';
import { TITLES } from '../../http/titles.js';

/**
 * A Heat exception: the class name clients read from `error.type` (heatclient prints
 * "ERROR: <message>") and its message, word for word as heat/common/exception.py has it. The
 * status comes from the class, as heat/api/middleware/fault.py maps it.
 */
export class HeatFault extends DomainError {
  readonly status: number;
  constructor(
    readonly type: string,
    message: string,
    status?: number,
  ) {
    super(message);
    this.status = status ?? STATUS_OF_TYPE.get(type) ?? 500;
  }
}

/** fault.py's error_map: exception class -> HTTP status (the rest are 500). */
const STATUS_OF_TYPE = new Map<string, number>([
  ['AttributeError', 400],
  ['ActionInProgress', 409],
  ['ValueError', 400],
  ['EntityNotFound', 404],
  ['NotFound', 404],
  ['ResourceActionNotSupported', 400],
  ['ResourceNotAvailable', 404],
  ['PhysicalResourceNameAmbiguity', 400],
  ['PhysicalResourceIDAmbiguity', 400],
  ['InvalidTenant', 403],
  ['Forbidden', 403],
  ['StackExists', 409],
  ['StackValidationFailed', 400],
  ['InvalidSchemaError', 400],
  ['InvalidTemplateReference', 400],
  ['InvalidTemplateVersion', 400],
  ['InvalidTemplateSection', 400],
  ['UnknownUserParameter', 400],
  ['NotSupported', 400],
  ['MissingCredentialError', 400],
  ['UserParameterMissing', 400],
  ['RequestLimitExceeded', 400],
  ['DownloadLimitExceeded', 400],
  ['Invalid', 400],
  ['ResourcePropertyConflict', 400],
  ['PropertyUnspecifiedError', 400],
  ['ResourceTypeUnavailable', 400],
  ['InvalidBreakPointHook', 400],
  ['ImmutableParameterModified', 400],
  ['CircularDependencyException', 400],
  // webob's own, raised by the API layer itself.
  ['HTTPBadRequest', 400],
  ['HTTPForbidden', 403],
  ['HTTPNotFound', 404],
  ['HTTPConflict', 409],
]);

/** What webob explains for each status, as Heat's error body carries it. */
const EXPLANATIONS: Record<number, string> = {
  400: 'The server could not comply with the request since it is either malformed or otherwise incorrect.',
  401: 'This server could not verify that you are authorized to access the document you requested. Either you supplied the wrong credentials (e.g., bad password), or your browser does not understand how to supply the credentials required.',
  403: 'Access was denied to this resource.',
  404: 'The resource could not be found.',
  405: 'The method is not allowed for this resource.',
  409: 'There was a conflict when trying to complete your request.',
  413: 'The request is larger than the server is willing or able to process.',
  415: 'The request media type is not supported by this server.',
  500: 'The server has either erred or is incapable of performing the requested operation.',
};

/** The webob class name for errors raised outside Heat's exception classes. */
const WEBOB_TYPES: Record<number, string> = {
  400: 'HTTPBadRequest',
  401: 'HTTPUnauthorized',
  403: 'HTTPForbidden',
  404: 'HTTPNotFound',
  405: 'HTTPMethodNotAllowed',
  409: 'HTTPConflict',
  413: 'HTTPRequestEntityTooLarge',
  415: 'HTTPUnsupportedMediaType',
  500: 'HTTPInternalServerError',
};

/** `{"code", "title", "explanation", "error": {"type", "message", "traceback"}}`. */
export function renderHeatError(err: DomainError): unknown {
  const type = err instanceof HeatFault ? err.type : (WEBOB_TYPES[err.status] ?? 'HTTPException');
  return {
    code: err.status,
    title: TITLES[err.status] ?? 'Error',
    explanation: EXPLANATIONS[err.status] ?? '',
    error: { type, message: err.message, traceback: null },
  };
}

/** StackValidationFailed: the text is the whole message ("Property error: ..." and so on). */
export function validationFailed(message: string): HeatFault {
  return new HeatFault('StackValidationFailed', message);
}

/** EntityNotFound: "The <Entity> (<name>) could not be found." */
export function entityNotFound(entity: string, name: string): HeatFault {
  return new HeatFault('EntityNotFound', `The ${entity} (${name}) could not be found.`);
}
