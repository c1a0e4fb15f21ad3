/**
 * Template resources (heat/engine/resources/template_resource.py): a type that is a template
 * file, run as a child stack. Its properties are the template's parameters
 * (Properties.schema_from_params), its attributes the template's outputs.
 */
import { HeatFault } from '../../errors.js';
import { Template } from '../../template/index.js';
import type { Constraint, ParameterSchema, ParameterType } from '../../template/types.js';
import type {
  AttributeSchema,
  PropertyConstraint,
  PropertySchema,
  Props,
  ResourceContext,
  ResourceType,
} from '../types.js';
import { childActions, childDone, childEnvironment, nestedOf, stackArn } from './stack-resource.js';

/** The output a template may give to stand for its stack in get_resource. */
const STACK_ID_OUTPUT = 'OS::stack_id';

/**
 * Schema.from_parameter's types. A list or json parameter's property converts (allow_conversion:
 * a string for a list is split, a list for a json map is passed as JSON), so those take any
 * value here and the child's parameter checks it.
 */
const PROPERTY_TYPES: Record<ParameterType, PropertySchema['type']> = {
  string: 'string',
  number: 'number',
  comma_delimited_list: 'any',
  json: 'any',
  boolean: 'boolean',
};

/** Schema.from_parameter: every property updatable; required when there is no default. */
function propertyOf(p: ParameterSchema, defaults: Record<string, unknown>): PropertySchema {
  const schema: PropertySchema = {
    type: PROPERTY_TYPES[p.type],
    required: (p.default === null || p.default === undefined) && !Object.hasOwn(defaults, p.name),
    updateAllowed: true,
    constraints: p.constraints.flatMap(constraintOf),
  };
  if (p.description !== null) schema.description = p.description;
  return schema;
}

function constraintOf(c: Constraint): PropertyConstraint[] {
  const description = c.description ?? undefined;
  const v = c.value as Record<string, number | undefined>;
  switch (c.kind) {
    case 'length':
    case 'range':
      return [{ kind: c.kind, min: v['min'], max: v['max'], description }];
    case 'modulo':
      return [{ kind: 'modulo', step: v['step']!, offset: v['offset']!, description }];
    case 'allowed_values':
      return [{ kind: 'allowed_values', values: c.value as unknown[], description }];
    case 'allowed_pattern':
      return [{ kind: 'allowed_pattern', pattern: String(c.value), description }];
    case 'custom_constraint':
      return [{ kind: 'custom_constraint', name: String(c.value), description }];
  }
}

/**
 * TemplateResource.child_params: properties with a value, lists joined with commas as a
 * comma_delimited_list parameter reads them (lists of maps as Heat's `.member.N.key=value`).
 */
export function childParams(props: Props, types: ReadonlyMap<string, ParameterType>): Props {
  const out: Props = {};
  for (const [name, value] of Object.entries(props)) {
    if (value === null || value === undefined) continue;
    if (types.get(name) === 'comma_delimited_list' && Array.isArray(value)) {
      out[name] = listParam(value);
    } else out[name] = value;
  }
  return out;
}

function listParam(items: unknown[]): string {
  if (items.length === 0) return '';
  const first: unknown = items[0];
  if (first !== null && typeof first === 'object' && !Array.isArray(first)) {
    return items
      .flatMap((item, n) =>
        Object.entries(item as Record<string, unknown>).map(
          ([k, v]) => `.member.${n}.${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`,
        ),
      )
      .join(',');
  }
  return items.map((x) => (x === null || x === undefined ? '' : String(x))).join(',');
}

/** The child definition a template resource creates or updates its stack with. */
function definition(rc: ResourceContext, typeName: string, body: Record<string, unknown>) {
  return (parameters: Props) => ({
    template: body,
    files: rc.definition?.files ?? {},
    environment: childEnvironment(rc.definition?.environment, rc.resourceName, typeName),
    parameters,
    timeoutMins: null,
  });
}

/**
 * The type for `typeName` (a file name, or the registry name mapped to `file`) whose child
 * template is `template`. `paramDefaults` are the environment's parameter_defaults, which make
 * a parameter without a default optional.
 */
export function templateResource(
  typeName: string,
  _file: string,
  template: Record<string, unknown>,
  paramDefaults: Record<string, unknown> = {},
): ResourceType {
  const parsed = Template.load(template, new Map());
  const properties: Record<string, PropertySchema> = {};
  for (const p of parsed.parameters) properties[p.name] = propertyOf(p, paramDefaults);
  const paramTypes = new Map(parsed.parameters.map((p) => [p.name, p.type]));
  const attributes: Record<string, AttributeSchema> = {};
  for (const o of parsed.outputs) attributes[o.name] = { description: o.description ?? '' };
  const hasStackId = Object.hasOwn(attributes, STACK_ID_OUTPUT);

  return {
    type: typeName,
    alwaysUpdate: true,
    description: parsed.description,
    properties,
    attributes,

    ...childActions,

    childDefinition: async (rc, props) =>
      definition(rc, typeName, template)(childParams(props, paramTypes)),

    async create(rc, props) {
      const def = definition(rc, typeName, template);
      const id = await nestedOf(rc).create(def(childParams(props, paramTypes)));
      await rc.data.set('reference_id', stackArn(rc.stack.projectId, rc.physicalName(), id));
      return id;
    },

    async checkCreateComplete(rc, id) {
      if (!(await childDone(rc, id, 'CREATE'))) return false;
      if (hasStackId) {
        const value = (await nestedOf(rc).outputs(id)).get(STACK_ID_OUTPUT);
        if (typeof value === 'string') await rc.data.set('reference_id', value);
      }
      return true;
    },

    referenceId(_physicalId, data) {
      return data.get('reference_id');
    },

    async update(rc, id, next) {
      const def = definition(rc, typeName, template);
      await nestedOf(rc).update(id, def(childParams(next, paramTypes)));
    },

    checkUpdateComplete(rc, id) {
      return childDone(rc, id, 'UPDATE');
    },

    async delete(rc, id) {
      await nestedOf(rc).delete(id);
    },

    checkDeleteComplete(rc, id) {
      return childDone(rc, id, 'DELETE');
    },

    acceptsAttribute(name) {
      return name.startsWith('resource.');
    },

    async attribute(rc, id, name) {
      const nested = nestedOf(rc);
      if (name.startsWith('resource.')) return memberAttribute(rc, id, name);
      if (!nested.output) return (await nested.outputs(id)).get(name) ?? null;
      const out = await nested.output(id, name);
      if (out?.error != null) {
        // TemplateOutputError: the parent's output shows it as its output_error.
        throw new HeatFault(
          'TemplateOutputError',
          `Error in ${rc.resourceName} output ${name}: ${out.error}`,
        );
      }
      return out?.value ?? null;
    },
  };
}

/** grouputils.get_nested_attrs: `resource.<name>` is a member's id, `resource.<name>.<attr>`
 *  (the rest of the key, dots and all) one of its attributes. */
export async function memberAttribute(
  rc: ResourceContext,
  id: string,
  key: string,
): Promise<unknown> {
  const parts = key.split('.');
  const member = parts[1] ?? '';
  const attr = parts.slice(2).join('.');
  if (attr === '') return (await nestedOf(rc).members(id)).get(member) ?? null;
  return nestedOf(rc).attribute(id, member, attr, []);
}
