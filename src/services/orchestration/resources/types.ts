import type { RequestContext } from '../../../context.js';
import type { ComputeService } from '../../compute/service.js';
import type { IdentityService } from '../../identity/service.js';
import type { ImageService } from '../../image/service.js';
import type { NetworkService } from '../../network/service.js';
import type { VolumeService } from '../../volume/service.js';

/**
 * A resource type: what Heat's resource plugins are (heat/engine/resources/...), as data plus
 * a few async steps. The engine validates properties against `properties` (types, required,
 * defaults, constraints: Heat's "Property error: ..." texts), resolves functions, then calls the
 * steps; the type only talks to the services, through their domain methods, with the stack
 * owner's context. `resource type show` prints the schemas, so they say what Heat's say.
 */
export interface ResourceType {
  /** `OS::Neutron::Net`. */
  type: string;
  /** The plugin's docstring, as `resource type show` prints it. */
  description: string;
  supportStatus?: SupportStatus;
  properties: Record<string, PropertySchema>;
  attributes: Record<string, AttributeSchema>;
  /**
   * Deprecated property names and what they translate to (Heat's translation rules): the
   * engine rewrites `network_id` to `network` before validating, so types see one name.
   */
  translations?: Translation[];
  /**
   * Heat's add_dependencies: resources of the stack this one must wait for though the template
   * does not say so (a floating IP waits for the router interface that makes its port
   * reachable). Sees every definition with its properties resolved as Heat sees them when it
   * builds the graph: a reference to a resource that does not exist yet is that resource's name.
   */
  implicitRequires?(self: DefinitionView, stack: DefinitionView[]): string[];
  /**
   * Checks made when the stack is validated, before anything exists, on the properties as far
   * as they resolve then (raw, no defaults): OS::Heat::Stack's region and template. Throws
   * HeatFault, which refuses the request.
   */
  preflight?(props: Props, region: string): void;
  /** Checks beyond the schema (property combinations), with Heat's texts; throws HeatFault. */
  validate?(rc: ResourceContext, props: Props): Promise<void>;
  /** Starts creating; returns the physical id, which the engine stores at once. */
  create(rc: ResourceContext, props: Props): Promise<string | null>;
  /** Polled (with back-off) until true; throws with the failure Heat would report. */
  checkCreateComplete?(rc: ResourceContext, id: string, props: Props): Promise<boolean>;
  /** Heat's needs_replace_with_prop_diff: a change the type cannot make in place although
   *  every changed property is updateAllowed (TestResource's update_replace). */
  needsReplace?(next: Props, prev: Props, changed: string[]): boolean;
  /** Updated even when no property changed (Heat's StackResource: a nested stack always
   *  gets the update and its own resources decide, so an edited child template lands). */
  alwaysUpdate?: boolean;
  /** A nested-stack resource's child definition for these properties, so a preview can show
   *  the child's resources as Heat's does (a nested list). */
  childDefinition?(rc: ResourceContext, props: Props): Promise<NestedDefinition>;
  /** Properties are not checked against `properties` (OS::Heat::None takes any). */
  acceptsAnyProperties?: boolean;
  /** What get_resource/Ref gives when it is not the physical id (RandomString: its value). */
  referenceId?(physicalId: string, data: ResourceData): string | undefined;
  /**
   * In-place update of `changed` (all of them `updateAllowed`); without it, or when a changed
   * property is not updateAllowed, the engine replaces the resource.
   */
  update?(
    rc: ResourceContext,
    id: string,
    next: Props,
    prev: Props,
    changed: string[],
  ): Promise<void>;
  checkUpdateComplete?(rc: ResourceContext, id: string, props: Props): Promise<boolean>;
  /** Deletes; an already-gone physical resource is success (the engine treats 404 as done too). */
  delete(rc: ResourceContext, id: string, props: Props): Promise<void>;
  checkDeleteComplete?(rc: ResourceContext, id: string): Promise<boolean>;
  /** Attribute names beyond `attributes` the type answers (a group's `resource.<n>...`). */
  acceptsAttribute?(name: string): boolean;
  /** One attribute's value (null when it has none); `show` is handled by `show` below. */
  attribute(rc: ResourceContext, id: string, name: string, props: Props): Promise<unknown>;
  /** The `show` attribute: the underlying object as its service's API shows it. */
  show?(rc: ResourceContext, id: string): Promise<unknown>;
  suspend?(rc: ResourceContext, id: string): Promise<void>;
  resume?(rc: ResourceContext, id: string): Promise<void>;
  /** `stack check`: throws when the physical resource is not as it should be. */
  check?(rc: ResourceContext, id: string): Promise<void>;
  /** Stack snapshot: takes the resource's snapshot (instance image, volume snapshot) and returns
   *  what restore needs (stored with the stack snapshot). */
  snapshot?(rc: ResourceContext, id: string): Promise<Record<string, unknown>>;
  /** Deletes what `snapshot` made (a stack snapshot deleted, or its stack). */
  deleteSnapshot?(rc: ResourceContext, data: Record<string, unknown>): Promise<void>;
  /** The properties to create the resource again from its snapshot data (stack restore). */
  restoreProperties?(props: Props, data: Record<string, unknown>): Props;
  /** deletion_policy Snapshot: the snapshot to leave behind instead of the resource. */
  snapshotForDeletion?(rc: ResourceContext, id: string): Promise<void>;
  /** Heat's prepare_for_replace: frees what the replacement takes over (a port's addresses). */
  prepareForReplace?(rc: ResourceContext, id: string): Promise<void>;
}

export type Props = Record<string, unknown>;

/** A resource definition as implicitRequires sees it. */
export interface DefinitionView {
  name: string;
  type: string;
  props: Props;
}

export interface SupportStatus {
  status: 'SUPPORTED' | 'DEPRECATED' | 'HIDDEN' | 'UNSUPPORTED';
  version?: string;
  message?: string;
  previous?: SupportStatus;
}

/** heat/engine/properties.py Schema, as `resource type show` prints it. */
export interface PropertySchema {
  /** `any` is Heat's Schema.ANY (OS::Heat::Value's value): any JSON value, unconverted. */
  type: 'string' | 'integer' | 'number' | 'boolean' | 'map' | 'list' | 'any';
  description?: string;
  required?: boolean;
  default?: unknown;
  updateAllowed?: boolean;
  immutable?: boolean;
  constraints?: PropertyConstraint[];
  /** For a map: its keys' schemas; for a list: `{ '*': item schema }`. */
  schema?: Record<string, PropertySchema>;
  supportStatus?: SupportStatus;
}

export type PropertyConstraint =
  | { kind: 'allowed_values'; values: unknown[]; description?: string }
  | { kind: 'range'; min?: number; max?: number; description?: string }
  | { kind: 'length'; min?: number; max?: number; description?: string }
  | { kind: 'allowed_pattern'; pattern: string; description?: string }
  | { kind: 'modulo'; step: number; offset: number; description?: string }
  /** A custom constraint by name (`glance.image`), checked over the services. */
  | { kind: 'custom_constraint'; name: string; description?: string };

export interface AttributeSchema {
  description: string;
  type?: 'string' | 'map' | 'list' | 'integer' | 'number' | 'boolean';
  supportStatus?: SupportStatus;
}

/** Heat's translation rules: a deprecated name replaced by another (`network_id` -> `network`),
 *  at a path (`fixed_ips.*.subnet_id` -> `subnet`). */
export interface Translation {
  /** Path of the old property: `['network_id']`, `['fixed_ips', '*', 'subnet_id']`. */
  from: string[];
  /** The new name at the same level. */
  to: string;
}

/** The services a resource type may call: their domain objects, nothing lower. */
export interface EngineServices {
  identity: IdentityService;
  images: ImageService;
  volumes: VolumeService;
  network: NetworkService;
  compute: ComputeService;
}

/** What a resource step gets: who acts, the services, and the resource's place in its stack. */
export interface ResourceContext {
  /** The stack owner's rights (userContext of the stack's user, project and roles). */
  ctx: RequestContext;
  services: EngineServices;
  /** `region` is this cloud's region (OS::Heat::Stack refuses any other). */
  stack: { id: string; name: string; projectId: string; region?: string };
  resourceName: string;
  /** Heat's physical_resource_name: `<stack>-<resource>-<12 chars>`, the default name of what
   *  the resource makes. Stable for the resource's life. */
  physicalName(): string;
  /** Key-value data kept with the resource (Heat's resource_data): a generated password, a
   *  private key, a snapshot id. Survives restarts. */
  data: ResourceData;
  /** Aborted when the stack operation is cancelled or timed out: long waits must give up. */
  signal: AbortSignal;
  /** Child stacks of this resource (template resources, OS::Heat::Stack, ResourceGroup). */
  nested?: NestedStacks;
  /** The stack's files and environment as given (a template resource passes them down). */
  definition?: { files: Record<string, string>; environment: Record<string, unknown> };
}

/** A child stack's definition, as a nested-stack resource gives it. */
export interface NestedDefinition {
  template: Record<string, unknown>;
  files: Record<string, string>;
  environment: Record<string, unknown>;
  parameters: Record<string, unknown>;
  timeoutMins: number | null;
}

/** The state of a child stack: `<action>_<status>` and its reason; null once it is gone. */
export interface NestedState {
  action: string;
  status: string;
  reason: string;
}

/**
 * What a nested-stack resource may do with its child stack: made, updated and deleted as
 * stacks are, owned by the parent (hidden from `stack list`, deleted with it).
 */
export interface NestedStacks {
  create(def: NestedDefinition): Promise<string>;
  update(id: string, def: NestedDefinition): Promise<void>;
  delete(id: string): Promise<void>;
  state(id: string): Promise<NestedState | null>;
  /** Output values of the child, resolved now. */
  outputs(id: string): Promise<Map<string, unknown>>;
  /** One output of the child resolved now, with the error that stopped it (Heat's
   *  output_error); undefined when the child has no such output. */
  output?(id: string, name: string): Promise<{ value: unknown; error: string | null } | undefined>;
  /** Starts SUSPEND, RESUME or CHECK of the child (a parent's action reaching it). */
  act?(id: string, action: 'SUSPEND' | 'RESUME' | 'CHECK'): Promise<void>;
  /** The child's resources by name, with their physical ids (a group's members). */
  members(id: string): Promise<Map<string, string | null>>;
  /** get_attr of one of the child's resources. */
  attribute(
    id: string,
    resource: string,
    attribute: string | null,
    path: unknown[],
  ): Promise<unknown>;
}

export interface ResourceData {
  get(key: string): string | undefined;
  set(key: string, value: string): Promise<void>;
  all(): Record<string, string>;
}
