import type { DomainError } from '../errors.js';

/** Fault names Nova and Cinder share (their api/openstack/wsgi.py Fault._fault_names). */
const FAULTS: Record<number, string> = {
  400: 'badRequest',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'itemNotFound',
  405: 'badMethod',
  406: 'notAcceptable',
  409: 'conflictingRequest',
  413: 'overLimit',
  415: 'badMediaType',
  501: 'notImplemented',
};

/**
 * The error body of Nova and Cinder: {"<faultName>": {"code", "message"}}; an overLimit adds
 * retryAfter. Anything without a name of its own is a computeFault, in Cinder too.
 */
export function renderFault(err: DomainError): unknown {
  const fault = FAULTS[err.status] ?? 'computeFault';
  const body: Record<string, unknown> = { code: err.status, message: err.message };
  if (err.status === 413) body.retryAfter = '0';
  return { [fault]: body };
}
