/** Template text to data, as heat/common/template_format.py parse and the API's error wrapping. */
import { parse } from 'yaml';
import { HeatFault } from '../errors.js';
import { isMap } from './pyvalue.js';

export const MAX_TEMPLATE_SIZE = 524288;

function bad(msg: string): HeatFault {
  return new HeatFault('HTTPBadRequest', `Template not in valid format: ${msg}`, 400);
}

export function parseTemplateText(text: string): unknown {
  if (text.length > MAX_TEMPLATE_SIZE) {
    throw new HeatFault(
      'RequestLimitExceeded',
      `Request limit exceeded: Template size (${text.length} bytes) exceeds maximum allowed size (${MAX_TEMPLATE_SIZE} bytes).`,
    );
  }
  let tpl: unknown;
  try {
    tpl = JSON.parse(text);
  } catch {
    try {
      // YAML 1.1 as PyYAML reads it, but timestamps stay strings (Heat's loader does so).
      tpl = parse(text, {
        version: '1.1',
        customTags: (tags) =>
          tags.filter((t) => typeof t === 'string' || t.tag !== 'tag:yaml.org,2002:timestamp'),
        maxAliasCount: 100,
        uniqueKeys: false,
      });
    } catch (e) {
      throw bad(`Error parsing template [root stack] ${(e as Error).message}`);
    }
    if (tpl === null || tpl === undefined) tpl = {};
  }
  if (!isMap(tpl)) throw bad('The template is not a JSON object or YAML mapping.');
  const keys = ['HeatTemplateFormatVersion', 'heat_template_version', 'AWSTemplateFormatVersion'];
  if (!keys.some((k) => Object.hasOwn(tpl as object, k)))
    throw bad('Template format version not found.');
  return tpl;
}
