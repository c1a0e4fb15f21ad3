/**
 * The template language's contract with the engine. A template is loaded once (`loadTemplate`),
 * which validates its sections and every function's arguments and reports Heat's errors; values
 * are then resolved against a `Scope` whenever the engine needs them (a resource's properties
 * just before it is created, outputs when shown), because `get_attr` reads resources that exist
 * only part-way through a stack's life.
 */

/** A parsed but unresolved value: literals, lists, maps and function calls in any nesting. */
export type Expr = unknown;

export type DeletionPolicy = 'Delete' | 'Retain' | 'Snapshot';

/** One entry of `resources:` as the template wrote it (HOT or CFN spelling). */
export interface ResourceDefinition {
  name: string;
  /** The type as written (`OS::Nova::Server`, an alias, or a template file name). */
  type: string;
  properties: Expr;
  metadata: Expr;
  /** `depends_on` (DependsOn), always a list. */
  dependsOn: string[];
  deletionPolicy: DeletionPolicy;
  updatePolicy: Expr;
  /** `condition`: a condition name, a condition expression, or null for "always". */
  condition: Expr;
  externalId: Expr;
  /** Every resource this one needs before it can be created: depends_on plus the implicit edges
   *  of get_resource, get_attr, Ref and Fn::GetAtt found in properties, metadata and the rest. */
  requires: ReadonlySet<string>;
}

export interface OutputDefinition {
  name: string;
  value: Expr;
  description: string | null;
  condition: Expr;
  /** Resources the value reads. */
  requires: ReadonlySet<string>;
}

export type ParameterType = 'string' | 'number' | 'comma_delimited_list' | 'json' | 'boolean';

/** One constraint of a parameter, as validate and `stack show` print it. */
export interface Constraint {
  kind: 'length' | 'range' | 'modulo' | 'allowed_values' | 'allowed_pattern' | 'custom_constraint';
  /** length/range: {min?, max?}; modulo: {step, offset}; allowed_values: list; pattern: string;
   *  custom_constraint: its name (`glance.image`). */
  value: unknown;
  description: string | null;
}

export interface ParameterSchema {
  name: string;
  type: ParameterType;
  label: string | null;
  description: string | null;
  default: unknown;
  hidden: boolean;
  immutable: boolean;
  tags: string[];
  constraints: Constraint[];
}

/**
 * What resolving a value may read. The engine fills it: parameters already validated and
 * converted to their types, resources' physical ids, and the attributes it prefetched (a
 * function asks only for what `attributeRefs` said it would).
 */
export interface Scope {
  stackId: string;
  stackName: string;
  projectId: string;
  region: string;
  parameter(name: string): unknown;
  /** get_resource / Ref of a resource: its physical id, or null when it has none yet. */
  resourceId(name: string): string | null;
  /** get_attr [name, attribute, ...path]: the value, or null when not available yet. An attribute
   *  name of null (get_attr [name] in 2015-10-15+) asks for all of them as a map. */
  attribute(name: string, attribute: string | null, path: unknown[]): unknown;
  /** A condition's value (already evaluated). */
  condition(name: string): boolean;
  /** `files` of the request: get_file contents by name. */
  file(name: string): string | undefined;
  /** resource_facade inside a template resource's own stack: the facade resource's
   *  `metadata`, `deletion_policy` or `update_policy`. Absent outside nested stacks. */
  facade?(attribute: 'metadata' | 'deletion_policy' | 'update_policy'): unknown;
}

/** An attribute a value will read, so the engine can fetch it before resolving. */
export interface AttributeRef {
  resource: string;
  attribute: string | null;
}

/** A custom constraint check: null when the value is fine, else Heat's message for it
 *  (`No images matching {'name': 'x'}.`). Implemented by the engine over the services. */
export type CustomConstraintCheck = (name: string, value: unknown) => Promise<string | null>;
