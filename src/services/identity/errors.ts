import type { DomainError } from '../../errors.js';
import { TITLES } from '../../http/titles.js';

/** Keystone's error body: {"error": {"code", "title", "message"}}. */
export function renderIdentityError(err: DomainError): unknown {
  return {
    error: { code: err.status, title: TITLES[err.status] ?? 'Error', message: err.message },
  };
}
