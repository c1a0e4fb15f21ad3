/** Template text to data, as heat/common/template_format.py parse and the API's error wrapping. */
import { parse, type Tags } from 'yaml';
import { HeatFault } from '../errors.js';
import { isMap } from './pyvalue.js';

export const MAX_TEMPLATE_SIZE = 524288;

/** PyYAML's booleans (no y/n) and timestamps kept as strings, as Heat's yaml_loader does. */
function asPyYaml(tags: Tags): Tags {
  const out: Tags = [];
  for (const t of tags) {
    if (typeof t === 'string' || t.tag === 'tag:yaml.org,2002:timestamp') continue;
    if (t.tag === 'tag:yaml.org,2002:bool' && 'test' in t && t.test) {
      const isTrue = t.identify?.(true) === true;
      const test = isTrue
        ? /^(?:[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/
        : /^(?:[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/;
      out.push({ ...t, test });
    } else out.push(t);
  }
  return out;
}

function bad(msg: string): HeatFault {
  return new HeatFault('HTTPBadRequest', `Template not in valid format: ${msg}`, 400);
}

/** YAML as Heat's yaml_loader reads it; throws the parser's error. */
export function loadYaml(text: string): unknown {
  return parse(text, {
    version: '1.1',
    customTags: asPyYaml,
    maxAliasCount: 100,
    uniqueKeys: false,
  });
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
      tpl = loadYaml(text);
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
