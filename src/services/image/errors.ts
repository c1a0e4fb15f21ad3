import type { DomainError } from '../../errors.js';
import { TITLES } from '../../http/titles.js';

/**
 * Glance's errors are webob exceptions rendered as JSON: the message carries webob's body
 * template (`<explanation><br /><br />\n<detail>\n<comment>`), which clients print as-is.
 */
export function renderImageError(err: DomainError): unknown {
  const title = TITLES[err.status] ?? 'Error';
  return { message: `${err.message}<br /><br />\n\n\n`, code: `${err.status} ${title}`, title };
}
