/** The template language's entry point: what the engine and the API use. */
export { Template } from './template.js';
export { templateVersions, versionByName } from './versions.js';
export { parseTemplateText } from './format.js';
export { validateParameters, parametersForShow } from './parameters.js';
export {
  type Environment,
  parseEnvironment,
  mergeEnvironments,
  emptyEnvironment,
  ResourceRegistry,
} from './environment.js';
export type * from './types.js';

import { dependencyWaves, type Template } from './template.js';

/** Waves of resources whose requirements are all in earlier waves. */
export function dependencyOrder(t: Template): string[][] {
  return dependencyWaves(t.resources);
}
