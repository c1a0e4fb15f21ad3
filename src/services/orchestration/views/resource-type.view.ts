/**
 * Resource type schemas as `resource type show` prints them (constraints.Schema as a dict) and
 * the template Heat generates for a type (Resource.resource_to_template).
 */
import type {
  AttributeSchema,
  PropertyConstraint,
  PropertySchema,
  ResourceType,
  SupportStatus,
} from '../resources/types.js';

/** Every type has Heat's base `show` attribute. */
const SHOW: AttributeSchema = { description: 'Detailed information about resource.', type: 'map' };

export function supportStatusView(s: SupportStatus | undefined): Record<string, unknown> {
  const st = s ?? { status: 'SUPPORTED' };
  return {
    status: st.status,
    message: st.message ?? null,
    version: st.version ?? null,
    previous_status: st.previous ? supportStatusView(st.previous) : null,
  };
}

function constraintView(c: PropertyConstraint): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  switch (c.kind) {
    case 'allowed_values':
      out.allowed_values = c.values;
      break;
    case 'range':
    case 'length': {
      const r: Record<string, number> = {};
      if (c.min !== undefined) r.min = c.min;
      if (c.max !== undefined) r.max = c.max;
      out[c.kind] = r;
      break;
    }
    case 'allowed_pattern':
      out.allowed_pattern = c.pattern;
      break;
    case 'modulo':
      out.modulo = { step: c.step, offset: c.offset };
      break;
    case 'custom_constraint':
      out.custom_constraint = c.name;
      break;
  }
  if (c.description !== undefined) out.description = c.description;
  return out;
}

/** properties.Schema as a dict: absent description, default, schema and constraints left out. */
export function propertyView(p: PropertySchema): Record<string, unknown> {
  const out: Record<string, unknown> = { type: p.type };
  if (p.description !== undefined) out.description = p.description;
  if (p.default !== undefined && p.default !== null) out.default = p.default;
  if (p.schema) {
    const nested: Record<string, unknown> = {};
    for (const [k, s] of Object.entries(p.schema)) nested[k] = propertyView(s);
    out.schema = nested;
  }
  out.required = p.required ?? false;
  if (p.constraints && p.constraints.length) out.constraints = p.constraints.map(constraintView);
  out.update_allowed = p.updateAllowed ?? false;
  out.immutable = p.immutable ?? false;
  return out;
}

function visibleProperties(t: ResourceType): Array<[string, PropertySchema]> {
  return Object.entries(t.properties).filter(([, s]) => s.supportStatus?.status !== 'HIDDEN');
}

function attributes(t: ResourceType): Array<[string, AttributeSchema]> {
  const all = Object.entries(t.attributes).filter(([, s]) => s.supportStatus?.status !== 'HIDDEN');
  if (!Object.hasOwn(t.attributes, 'show')) all.push(['show', SHOW]);
  return all;
}

/** GET /resource_types/{type}: resource_schema. */
export function resourceTypeView(t: ResourceType, withDescription: boolean) {
  const properties: Record<string, unknown> = {};
  for (const [k, s] of visibleProperties(t)) properties[k] = propertyView(s);
  const attrs: Record<string, unknown> = {};
  for (const [k, s] of attributes(t)) {
    attrs[k] = { description: s.description, ...(s.type ? { type: s.type } : {}) };
  }
  return {
    resource_type: t.type,
    properties,
    attributes: attrs,
    support_status: supportStatusView(t.supportStatus),
    ...(withDescription ? { description: t.description } : {}),
  };
}

const HOT_TYPES = {
  string: 'string',
  integer: 'number',
  number: 'number',
  boolean: 'boolean',
  map: 'json',
  list: 'comma_delimited_list',
  any: 'json',
} as const;
const CFN_TYPES = {
  string: 'String',
  integer: 'Number',
  number: 'Number',
  boolean: 'Boolean',
  map: 'Json',
  list: 'CommaDelimitedList',
  any: 'Json',
} as const;

function hotParameter(p: PropertySchema): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (p.description !== undefined) out.description = p.description;
  out.type = HOT_TYPES[p.type];
  if (p.default !== undefined && p.default !== null) out.default = p.default;
  if (p.constraints && p.constraints.length) out.constraints = p.constraints.map(constraintView);
  return out;
}

function cfnParameter(p: PropertySchema): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (p.description !== undefined) out.Description = p.description;
  out.Type = CFN_TYPES[p.type];
  if (p.default !== undefined && p.default !== null) {
    out.Default = Array.isArray(p.default) ? p.default.join(',') : p.default;
  }
  for (const c of p.constraints ?? []) {
    if (c.kind === 'allowed_values') out.AllowedValues = c.values;
    if (c.kind === 'allowed_pattern') out.AllowedPattern = c.pattern;
    if (c.kind === 'length') {
      if (c.min !== undefined) out.MinLength = c.min;
      if (c.max !== undefined) out.MaxLength = c.max;
    }
    if (c.kind === 'range') {
      if (c.min !== undefined) out.MinValue = c.min;
      if (c.max !== undefined) out.MaxValue = c.max;
    }
    if (c.description !== undefined) out.ConstraintDescription = c.description;
  }
  return out;
}

/** GET /resource_types/{type}/template: the type as a one-resource template, hot or cfn. */
export function typeTemplate(t: ResourceType, kind: 'hot' | 'cfn') {
  // Heat names the resource after its plugin class, which is the type's last segment.
  const name = t.type.split('::').pop() ?? t.type;
  const params: Record<string, unknown> = {};
  const props: Record<string, unknown> = {};
  for (const [k, s] of visibleProperties(t)) {
    params[k] = kind === 'hot' ? hotParameter(s) : cfnParameter(s);
    props[k] = kind === 'hot' ? { get_param: k } : { Ref: k };
  }
  const outputs: Record<string, unknown> = {};
  for (const [k, s] of attributes(t)) {
    outputs[k] =
      kind === 'hot'
        ? { description: s.description, value: { get_attr: [name, k] } }
        : { Description: s.description, Value: { 'Fn::GetAtt': [name, k] } };
  }
  const description = `Initial template of ${name}`;
  if (kind === 'hot') {
    return {
      heat_template_version: '2016-10-14',
      description,
      parameters: params,
      resources: { [name]: { type: t.type, properties: props } },
      outputs,
    };
  }
  return {
    HeatTemplateFormatVersion: '2012-12-12',
    Description: description,
    Parameters: params,
    Resources: { [name]: { Type: t.type, Properties: props } },
    Outputs: outputs,
  };
}
