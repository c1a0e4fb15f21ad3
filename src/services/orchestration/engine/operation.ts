import { userContext } from '../../../context.js';
import { HeatFault } from '../errors.js';
import { Template } from '../template/index.js';
import type { ResourceDefinition, Scope } from '../template/types.js';
import type {
  DefinitionView,
  EngineServices,
  NestedStacks,
  Props,
  ResourceContext,
  ResourceType,
} from '../resources/types.js';
import type { TypeRegistry } from '../resources/registry.js';
import { TypeResolver } from '../resources/heat/index.js';
import { physicalName } from './names.js';
import { validateProperties, type ConstraintChecker } from './properties.js';
import type { Stack, StackResource, StackStore } from './stack-store.js';

/** What every stack operation needs from outside. */
export interface EngineDeps {
  store: StackStore;
  services: EngineServices;
  types: TypeRegistry;
  constraints: ConstraintChecker;
  region: string;
}

/**
 * One operation (create, delete, update...) on one stack: its definition loaded, its resources'
 * rows, and the scope functions resolve against. Steps on resources live in resource-steps.ts.
 */
export class Operation {
  readonly template: Template;
  /** The current resource of each name. */
  readonly resources = new Map<string, StackResource>();
  /** Every row, current or not (replaced resources wait here for cleanup). */
  readonly rows: StackResource[];
  readonly definitions = new Map<string, ResourceDefinition>();
  private readonly attributes = new Map<string, unknown>();

  constructor(
    readonly deps: EngineDeps,
    readonly stack: Stack,
    readonly traversal: number,
    readonly parameters: Map<string, unknown>,
    template: Template,
    readonly conditions: ReadonlyMap<string, boolean>,
    rows: StackResource[],
    readonly signal: AbortSignal,
    private readonly nestedOf?: (op: Operation, row: StackResource) => NestedStacks,
  ) {
    this.template = template;
    this.rows = rows;
    for (const row of rows) if (row.current) this.resources.set(row.name, row);
    for (const def of template.resources) {
      if (this.enabled(def)) this.definitions.set(def.name, def);
    }
  }

  private implicit: Map<string, string[]> | null = null;
  /** A preview: references to resources not made resolve to their names, as in Heat's. */
  previewing = false;
  /** In a nested preview, the names of the enclosing stacks' resources (references to them
   *  reach the child as names too). */
  outerNames: ReadonlySet<string> = new Set();

  /** What a resource waits for: the template's edges plus its type's implicit ones. */
  requires(name: string): string[] {
    this.implicit ??= this.implicitEdges();
    const def = this.definitions.get(name);
    return [...(def?.requires ?? []), ...(this.implicit.get(name) ?? [])];
  }

  /** Heat's add_dependencies, over properties resolved with references to resources as names. */
  private implicitEdges(): Map<string, string[]> {
    const scope = {
      ...this.scope(),
      // Names, not physical ids: the graph is the same before, during and after the create.
      resourceId: (name: string) => name,
      attribute: () => null,
    };
    const views: DefinitionView[] = [];
    for (const def of this.definitions.values()) {
      let props: unknown = {};
      try {
        props = this.template.resolve(def.properties, scope);
      } catch {
        props = {};
      }
      views.push({ name: def.name, type: def.type, props: isMap(props) ? props : {} });
    }
    const edges = new Map<string, string[]>();
    for (const view of views) {
      const type = this.findType(view);
      const extra = type?.implicitRequires?.(view, views) ?? [];
      // A resource never waits for its own dependents: that would be a cycle Heat avoids too.
      const safe = extra.filter((n) => n !== view.name && !this.reaches(n, view.name));
      if (safe.length > 0) edges.set(view.name, safe);
    }
    return edges;
  }

  /** Whether `from` already (transitively, by the template) requires `to`. */
  private reaches(from: string, to: string): boolean {
    const seen = new Set<string>();
    const stack = [from];
    while (stack.length > 0) {
      const n = stack.pop()!;
      if (n === to) return true;
      if (seen.has(n)) continue;
      seen.add(n);
      for (const r of this.definitions.get(n)?.requires ?? []) stack.push(r);
    }
    return false;
  }

  /** Whether a resource's `condition` lets it exist. */
  enabled(def: ResourceDefinition): boolean {
    const c = def.condition;
    if (c === null || c === undefined) return true;
    if (typeof c === 'boolean') return c;
    if (typeof c === 'string') return this.conditions.get(c) ?? false;
    return Boolean(this.template.resolve(c, this.scope()));
  }

  private resolver: TypeResolver | null = null;

  /** A type by name as the environment's resource registry maps it (aliases, template files). */
  findType(def: { name: string; type: string }): ResourceType | undefined {
    this.resolver ??= new TypeResolver(this.deps.types, this.stack.environment, this.stack.files);
    return this.resolver.get(def.type, def.name);
  }

  typeOf(def: { name: string; type: string }): ResourceType {
    const type = this.findType(def);
    if (!type) {
      throw new HeatFault(
        'StackValidationFailed',
        `resources.${def.name}: The Resource Type (${def.type}) could not be found.`,
      );
    }
    return type;
  }

  /** The scope functions read: parameters, physical ids, and attributes fetched beforehand. */
  scope(): Scope {
    const stack = this.stack;
    return {
      stackId: stack.id,
      stackName: stack.name,
      projectId: stack.projectId,
      region: this.deps.region,
      parameter: (name) => this.parameters.get(name),
      resourceId: (name) => this.referenceOf(name),
      attribute: (name, attribute, path) => {
        let value = this.attributes.get(attributeKey(name, attribute));
        for (const key of path) {
          if (value === null || value === undefined) return null;
          if (Array.isArray(value) && typeof key === 'number') value = value[key];
          else if (
            typeof value === 'object' &&
            typeof key === 'string' &&
            Object.hasOwn(value, key)
          )
            value = (value as Record<string, unknown>)[key];
          else return null;
        }
        return value ?? null;
      },
      condition: (name) => this.conditions.get(name) ?? false,
      file: (name) => (Object.hasOwn(this.stack.files, name) ? this.stack.files[name] : undefined),
    };
  }

  /** get_resource / Ref: the physical id, or what the type says its reference is. */
  referenceOf(name: string): string | null {
    const row = this.resources.get(name);
    if (!row?.physicalId) return this.previewing ? name : null;
    const type = this.findType(row);
    return type?.referenceId?.(row.physicalId, this.context(row).data) ?? row.physicalId;
  }

  /** Fetches every attribute `expr` reads from the resources that exist, then resolves it. */
  async resolve(expr: unknown): Promise<unknown> {
    for (const ref of this.template.attributeRefs(expr)) {
      const key = attributeKey(ref.resource, ref.attribute);
      this.attributes.set(key, await this.attributeOf(ref.resource, ref.attribute));
    }
    return this.template.resolve(expr, this.scope());
  }

  /** get_attr of one resource: null while it has no physical resource, as in Heat. */
  async attributeOf(name: string, attribute: string | null): Promise<unknown> {
    const row = this.resources.get(name);
    const def = this.definitions.get(name);
    if (!row?.physicalId || !def) return null;
    const type = this.typeOf(row);
    const rc = this.context(row);
    const props = row.properties ?? {};
    if (attribute === null) {
      const all: Record<string, unknown> = {};
      for (const attr of Object.keys(type.attributes)) {
        all[attr] = await type.attribute(rc, row.physicalId, attr, props);
      }
      return all;
    }
    if (attribute === 'show') return type.show ? await type.show(rc, row.physicalId) : null;
    if (!Object.hasOwn(type.attributes, attribute) && !type.acceptsAttribute?.(attribute)) {
      throw new HeatFault(
        'InvalidTemplateAttribute',
        `The Referenced Attribute (${name} ${attribute}) is incorrect.`,
        400,
      );
    }
    return type.attribute(rc, row.physicalId, attribute, props);
  }

  /**
   * Restore's changes to resources' properties (a server's image becomes its snapshot's): by
   * resource name, applied after resolution.
   */
  readonly overrides = new Map<string, (props: Props) => Props>();

  /** A resource's properties, resolved and checked against its type's schema. */
  async properties(def: ResourceDefinition, type: ResourceType): Promise<Props> {
    const raw = await this.resolve(def.properties);
    const rc = this.context(this.resources.get(def.name) ?? unsavedRow(this.stack.id, def));
    const props = await validateProperties(type, raw, def.name, (name, value) =>
      // Heat does not check a value that is a reference to a resource not made yet.
      this.previewing &&
      typeof value === 'string' &&
      (this.definitions.has(value) || this.outerNames.has(value))
        ? Promise.resolve(null)
        : this.deps.constraints(name, value, rc),
    );
    return this.overrides.get(def.name)?.(props) ?? props;
  }

  /** What a type's steps get for one resource row. */
  context(row: StackResource): ResourceContext {
    const store = this.deps.store;
    return {
      ctx: userContext(this.stack.projectId, this.stack.userId, this.stack.roles),
      services: this.deps.services,
      stack: {
        id: this.stack.id,
        name: this.stack.name,
        projectId: this.stack.projectId,
        region: this.deps.region,
      },
      resourceName: row.name,
      physicalName: () => physicalName(this.stack.name, row.name, row.id),
      data: {
        get: (key) => (Object.hasOwn(row.data, key) ? row.data[key] : undefined),
        set: async (key, value) => {
          row.data = { ...row.data, [key]: value };
          await store.setData(row.id, row.data);
        },
        all: () => ({ ...row.data }),
      },
      signal: this.signal,
      nested: this.nestedOf?.(this, row),
      definition: { files: this.stack.files, environment: this.stack.environment },
    };
  }
}

/** A resource row for what is not stored yet (a preview). */
export function unsavedRow(stackId: string, def: ResourceDefinition): StackResource {
  return {
    id: '00000000-0000-4000-8000-000000000000',
    stackId,
    name: def.name,
    type: def.type,
    action: 'INIT',
    status: 'COMPLETE',
    statusReason: '',
    physicalId: null,
    properties: null,
    metadata: null,
    data: {},
    replaces: null,
    current: true,
    createdAt: '',
    updatedAt: null,
  };
}

function isMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function attributeKey(resource: string, attribute: string | null): string {
  return JSON.stringify([resource, attribute]);
}
