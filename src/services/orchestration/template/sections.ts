/**
 * Section checks Heat makes in Template.validate and ParameterGroups.validate
 * (hot/template.py validate_section, heat/engine/parameter_groups.py).
 */
import { pyStr } from '../../../http/pyrepr.js';
import { validationFailed } from '../errors.js';
import { failedAt, pyClass } from './heat-path.js';
import { isMap } from './pyvalue.js';
import type { ParameterSchema } from './types.js';
import type { VersionInfo } from './versions.js';

/** HOT `resources`: each entry a map with a `type` and only the keys of its version. */
export function validateHotResources(res: Record<string, unknown>, info: VersionInfo): void {
  const allowed = [
    'type',
    'properties',
    'metadata',
    'depends_on',
    'deletion_policy',
    'update_policy',
    'description',
  ];
  if (info.conditionFunctions) allowed.push('external_id', 'condition');
  const missing = 'Each resource must contain a type key.';
  for (const name of Object.keys(res).sort()) {
    const attrs = res[name];
    if (!attrs || (isMap(attrs) && Object.keys(attrs).length === 0))
      throw validationFailed(missing);
    if (!isMap(attrs)) {
      throw validationFailed(
        `"resources" must contain a map of resource maps. Found a [${pyClass(attrs)}] instead`,
      );
    }
    for (const k of Object.keys(attrs)) {
      if (!allowed.includes(k)) {
        throw validationFailed(`"${k}" is not a valid keyword inside a resource definition`);
      }
    }
    if (!Object.hasOwn(attrs, 'type')) throw validationFailed(missing);
  }
}

const PSEUDO = ['OS::stack_id', 'OS::project_id'];
const CFN_PSEUDO = ['AWS::StackId'];

/** `parameter_groups`: a list of groups, each naming real parameters, each parameter once. */
export function validateParameterGroups(
  groups: unknown,
  params: ParameterSchema[],
  hot: boolean,
): void {
  const empty = Array.isArray(groups)
    ? groups.length === 0
    : isMap(groups) && Object.keys(groups).length === 0;
  if (!groups || empty) return;
  const error = 'Parameter Groups error';
  if (!Array.isArray(groups)) {
    throw failedAt(error, ['parameter_groups'], 'The parameter_groups should be a list.');
  }
  const names = new Set([...(hot ? PSEUDO : CFN_PSEUDO), ...params.map((p) => p.name)]);
  const grouped = new Set<unknown>();
  for (const group of groups) {
    const g = isMap(group) ? group : {};
    const label = typeof g['label'] === 'string' ? g['label'] : '';
    const at = ['parameter_groups', label];
    const list = g['parameters'];
    if (list === null || list === undefined) {
      throw failedAt(error, at, 'The parameters must be provided for each parameter group.');
    }
    if (!Array.isArray(list)) {
      throw failedAt(error, at, 'The parameters of parameter group should be a list.');
    }
    for (const p of list) {
      const text = pyStr(p);
      if (grouped.has(p)) {
        throw failedAt(
          error,
          at,
          `The ${text} parameter must be assigned to one parameter group only.`,
        );
      }
      grouped.add(p);
      if (typeof p !== 'string' || !names.has(p)) {
        throw failedAt(
          error,
          at,
          `The grouped parameter ${text} does not reference a valid parameter.`,
        );
      }
    }
  }
}
