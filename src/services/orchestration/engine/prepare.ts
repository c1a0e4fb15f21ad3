import { HeatFault } from '../errors.js';
import { parseEnvironment, Template, validateParameters, type Scope } from '../template/index.js';
import { TypeResolver } from '../resources/heat/index.js';
import type { EngineDeps } from './operation.js';
import type { StackDefinition } from './stack-store.js';

/** A definition loaded: template, typed parameter values and the conditions they give. */
export interface Prepared {
  template: Template;
  parameters: Map<string, unknown>;
  conditions: ReadonlyMap<string, boolean>;
}

type Pseudo = { stackId: string; stackName: string; projectId: string };

/**
 * Template, environment and parameters loaded (the one way the engine loads a definition):
 * `strict` as a create or update checks them (unknown parameters refused), otherwise as a
 * stored stack is read back.
 */
export async function loadDefinition(
  deps: EngineDeps,
  def: StackDefinition,
  pseudo: Pseudo,
  check: (name: string, value: unknown) => Promise<string | null>,
  strict: boolean,
): Promise<Prepared> {
  const template = loadTemplate(def);
  const parameters = await validateParameters(
    template,
    def.parameters,
    parseEnvironment(def.environment),
    check,
    { ...pseudo, region: deps.region },
    { strict },
  );
  const conditions = template.evaluateConditions((name) => parameters.get(name));
  return { template, parameters, conditions };
}

/** A definition's template alone (what an update or a restore replaces). */
export function loadTemplate(def: Pick<StackDefinition, 'template' | 'files'>): Template {
  return Template.load(def.template, new Map(Object.entries(def.files)));
}

/** Template, environment and parameters checked as Heat checks them before it starts. */
export async function prepareDefinition(
  deps: EngineDeps,
  def: StackDefinition,
  pseudo: Pseudo,
  check: (name: string, value: unknown) => Promise<string | null>,
): Promise<Prepared> {
  const prepared = await loadDefinition(deps, def, pseudo, check, true);
  const { template } = prepared;
  const types = new TypeResolver(deps.types, def.environment, def.files);
  for (const res of template.resources) {
    if (!types.get(res.type, res.name)) {
      throw new HeatFault(
        'StackValidationFailed',
        `Failed to validate: resources.${res.name}: The Resource Type (${res.type}) could not be found.`,
      );
    }
  }
  preflight(deps, prepared, types, def.files, pseudo);
  return prepared;
}

/** Types' checks at validation (preflight) over properties resolved as far as they can be. */
function preflight(
  deps: EngineDeps,
  { template, parameters, conditions }: Prepared,
  types: TypeResolver,
  files: Record<string, string>,
  pseudo: Pseudo,
): void {
  const scope: Scope = {
    ...pseudo,
    region: deps.region,
    parameter: (name) => parameters.get(name),
    resourceId: () => null,
    attribute: () => null,
    condition: (name) => conditions.get(name) ?? false,
    file: (name) => (Object.hasOwn(files, name) ? files[name] : undefined),
  };
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
