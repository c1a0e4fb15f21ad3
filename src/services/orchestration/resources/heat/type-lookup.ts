/**
 * Which type a resource's `type:` names (heat/engine/environment.py get_resource_info): the
 * environment's resource_registry and Heat's global one first (aliases, wildcards, per-resource
 * entries), then the built-in types, then template files given in `files`.
 */
import { isMap } from '../../template/pyvalue.js';
import { parseTemplateText, ResourceRegistry } from '../../template/index.js';
import type { TypeRegistry } from '../registry.js';
import type { ResourceType } from '../types.js';
import { templateResource } from './template-resource.js';

/** /etc/heat/environment.d/default.yaml's mapping that still names types we have. */
const GLOBAL_REGISTRY: Record<string, unknown> = { 'OS::Quantum*': 'OS::Neutron*' };

export class TypeResolver {
  private readonly registry: ResourceRegistry;
  private readonly files: Record<string, string>;
  private readonly paramDefaults: Record<string, unknown>;
  private readonly templates = new Map<string, ResourceType>();

  constructor(
    private readonly types: TypeRegistry,
    environment: unknown,
    files: Record<string, string>,
  ) {
    const env = isMap(environment) ? environment : {};
    const reg = isMap(env['resource_registry']) ? env['resource_registry'] : {};
    this.paramDefaults = isMap(env['parameter_defaults']) ? env['parameter_defaults'] : {};
    this.files = files;
    const builtins = new Set(types.all().map((t) => t.type));
    this.registry = new ResourceRegistry(
      reg,
      builtins,
      new Map(Object.entries(files)),
      GLOBAL_REGISTRY,
    );
  }

  /** The type, or undefined when nothing answers to the name (or its file is not given). */
  get(type: string, resourceName: string): ResourceType | undefined {
    const found = this.registry.lookup(type, resourceName);
    if (found === null) return undefined;
    if (found.kind === 'builtin') return this.types.get(found.type);
    if (!Object.hasOwn(this.files, found.file)) return undefined;
    const key = JSON.stringify([type, found.file]);
    let made = this.templates.get(key);
    if (!made) {
      const body = parseTemplateText(this.files[found.file]!) as Record<string, unknown>;
      made = templateResource(type, found.file, body, this.paramDefaults);
      this.templates.set(key, made);
    }
    return made;
  }
}
