/**
 * Typed domain errors. Services throw these; each service renders them in its own wire format
 * (src/services/<svc>/errors.ts). The message is the text the client will print, so it matches
 * OpenStack's wording wherever OpenStack has one.
 */
export abstract class DomainError extends Error {
  abstract readonly status: number;
  /** Extra response headers some faults carry (WWW-Authenticate, Retry-After). */
  headers: Record<string, string> = {};
}

export class BadRequest extends DomainError {
  readonly status = 400;
}
export class Unauthorized extends DomainError {
  readonly status = 401;
}
export class Forbidden extends DomainError {
  readonly status = 403;
}
export class NotFound extends DomainError {
  readonly status = 404;
}
export class NotAcceptable extends DomainError {
  readonly status = 406;
}
export class Conflict extends DomainError {
  readonly status = 409;
}
export class OverLimit extends DomainError {
  readonly status = 413;
}
export class UnsupportedMediaType extends DomainError {
  readonly status = 415;
}
export class RangeNotSatisfiable extends DomainError {
  readonly status = 416;
}
export class NotImplemented extends DomainError {
  readonly status = 501;
}
