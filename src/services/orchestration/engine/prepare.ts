import { HeatFault } from '../errors.js';
import { parseEnvironment, Template, validateParameters, type Scope } from '../template/index.js';
import { TypeResolver } from '../resources/heat/index.js';
import type { EngineDeps } from './operation.js';
import type { StackDefinition } from './stack-store.js';

/** A definition checked: template, environment and typed parameter values. */
export interface Prepared {
  template: Template;
  parameters: Map<string, unknown>;
}

/** Template, environment and parameters checked as Heat checks them before it starts. */
export async function prepareDefinition(
  deps: EngineDeps,
  def: StackDefinition,
  pseudo: { stackId: string; stackName: string; projectId: string },
  check: (name: string, value: unknown) => Promise<string | null>,
): Promise<Prepared> {
  const files = new Map(Object.entries(def.files));
  const template = Template.load(def.template, files);
  const env = parseEnvironment(def.environment);
  const parameters = await validateParameters(
    template,
    def.parameters,
    env,
    check,
    { ...pseudo, region: deps.region },
    { strict: true },
  );
  const types = new TypeResolver(deps.types, def.environment, def.files);
  for (const res of template.resources) {
    if (!types.get(res.type, res.name)) {
      throw new HeatFault(
        'StackValidationFailed',
        `Failed to validate: resources.${res.name}: The Resource Type (${res.type}) could not be found.`,
      );
    }
  }
  preflight(deps, template, parameters, def, pseudo);
  return { template, parameters };
}

/** Types' checks at validation (preflight) over properties resolved as far as they can be. */
function preflight(
  deps: EngineDeps,
  template: Template,
  parameters: Map<string, unknown>,
  def: StackDefinition,
  pseudo: { stackId: string; stackName: string; projectId: string },
): void {
  const files = def.files;
  const conditions = template.evaluateConditions((name) => parameters.get(name));
  const scope: Scope = {
    ...pseudo,
    region: deps.region,
    parameter: (name) => parameters.get(name),
    resourceId: () => null,
    attribute: () => null,
    condition: (name) => conditions.get(name) ?? false,
    file: (name) => (Object.hasOwn(files, name) ? files[name] : undefined),
  };
  const types = new TypeResolver(deps.types, def.environment, files);
  for (const res of template.resources) {
    const type = types.get(res.type, res.name);
    if (!type?.preflight) continue;
    let props: unknown;
    try {
      props = template.resolve(res.properties, scope);
    } catch {
      continue; // what does not resolve yet is checked when the resource is created
    }
    if (props !== null && typeof props === 'object') {
      type.preflight(props as Record<string, unknown>, deps.region);
    }
  }
}
