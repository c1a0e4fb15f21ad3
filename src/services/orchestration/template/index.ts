/** The template language's entry point: what the engine and the API use. */
export { Template } from './template.js';
export { templateFunctions, templateVersions, versionByName } from './versions.js';
export { parseTemplateText } from './format.js';
export { validateParameters, parametersForShow, checkImmutableParameters } from './parameters.js';
export {
  type Environment,
  parseEnvironment,
  mergeEnvironments,
  emptyEnvironment,
} from './environment.js';
export { ResourceRegistry, type Lookup } from './registry.js';
export { mergeEnvironmentFiles } from './env-merge.js';
export {
  validateView,
  formatValidateParameter,
  environmentAsDict,
  environmentForShow,
} from './validate-view.js';
export type * from './types.js';

import { dependencyWaves, type Template } from './template.js';

/**
 * Waves of resources whose requirements are all in earlier waves. With `enabled` (the
 * resources whose condition holds), only those, and edges to the others dropped.
 */
export function dependencyOrder(t: Template, enabled?: ReadonlySet<string>): string[][] {
  return dependencyWaves(t.resources, enabled);
}
