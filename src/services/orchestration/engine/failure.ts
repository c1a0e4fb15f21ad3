import { DomainError } from '../../../errors.js';
import { HeatFault } from '../errors.js';
import type { StackAction } from './stack-store.js';

/** What the Python clients call an error of each status, as Heat's reasons name them. */
const CLIENT_TYPES: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  409: 'Conflict',
  413: 'OverLimit',
  500: 'InternalServerError',
};

/** The exception class name Heat would print for an error out of a resource step. */
export function errorType(err: unknown): string {
  if (err instanceof HeatFault) return err.type;
  if (err instanceof DomainError) {
    const type = (err as { type?: unknown }).type;
    if (typeof type === 'string' && type !== '') return type;
    return CLIENT_TYPES[err.status] ?? 'HTTPException';
  }
  if (err instanceof Error && err.name === 'AbortError') return 'Timeout';
  return 'Error';
}

/** The message Heat would print: a client error carries its status as the clients add it. */
export function errorMessage(err: unknown): string {
  if (err instanceof HeatFault) return err.message;
  if (err instanceof DomainError) return `${err.message} (HTTP ${err.status})`;
  return err instanceof Error ? err.message : 'Unknown error';
}

/** ResourceFailure's text: "<ExcType>: resources.<name>: <message>". */
export function resourceFailure(err: unknown, resourceName: string): string {
  // A child stack's failure carries its own path (resources.<name>.resources.<child>).
  const own = (err as { resourceReason?: unknown } | null)?.resourceReason;
  if (typeof own === 'function') return (own as (n: string) => string).call(err, resourceName);
  return `${errorType(err)}: resources.${resourceName}: ${errorMessage(err)}`;
}

/** A failure a resource step already turned into its reason, passed up to the stack. */
export class ResourceFailed extends Error {
  constructor(
    readonly action: StackAction,
    readonly reason: string,
  ) {
    super(reason);
  }
}

/** Whether an error means the physical resource is gone (delete treats it as done). */
export function isGone(err: unknown): boolean {
  return err instanceof DomainError && err.status === 404;
}
