import { BadRequest } from '../../../errors.js';
import { pyRepr, pyStr } from '../../../http/pyrepr.js';

/**
 * A query value that failed a jsonschema `format` (checked after the schema): Nova's text,
 * `Invalid input for query parameters <name>. Value: <v>. '<v>' is not a '<format>'`.
 */
export function invalidQueryValue(name: string, value: string, format: string): BadRequest {
  return new BadRequest(
    `Invalid input for query parameters ${name}. Value: ${pyStr(value)}. ${pyRepr(value)} is not a '${format}'`,
  );
}
