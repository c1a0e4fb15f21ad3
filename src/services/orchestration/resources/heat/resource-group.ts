/**
 * OS::Heat::ResourceGroup (heat/engine/resources/openstack/heat/resource_group.py): `count`
 * copies of one resource definition in a child stack, members named "0", "1"... with the
 * index variable replaced. Count and definition changes update the child in place; removal
 * policies name members to drop, whose names are never used again.
 */
import { HeatFault } from '../../errors.js';
import type { Props, ResourceContext, ResourceType } from '../types.js';
import { since } from './support.js';
import { childActions, childDone, childEnvironment, nestedOf } from './stack-resource.js';
import { memberAttribute } from './template-resource.js';
import { GROUP_DOCS, GROUP_PROPERTIES } from './resource-group.schema.js';

/** The version Heat writes the child template in (_assemble_nested). */
export const CHILD_VERSION = '2015-04-30';
const REFS_MAP = 'refs_map';

/** The names removed by removal policies, kept with the resource (Heat's name_blacklist). */
function skiplist(rc: ResourceContext): string[] {
  const v = rc.data.get('name_blacklist');
  return v ? v.split(',') : [];
}

/** _resource_names: the first `count` names not in the skip list. */
function memberNames(count: number, skip: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; out.length < count; i++) if (!skip.includes(String(i))) out.push(String(i));
  return out;
}

/** _handle_repl_val: the index variable replaced in every string of the definition. */
function replaceIndex(value: unknown, indexVar: string, name: string): unknown {
  if (typeof value === 'string') return value.split(indexVar).join(name);
  if (Array.isArray(value)) return value.map((v) => replaceIndex(v, indexVar, name));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = replaceIndex(v, indexVar, name);
    return out;
  }
  return value;
}

/** The child template: one resource per name, and the refs_map output Heat always adds. */
export function groupTemplate(props: Props, names: string[]): Record<string, unknown> {
  const def = props['resource_def'] as Record<string, unknown>;
  const indexVar = props['index_var'] as string;
  const given = (def['properties'] ?? {}) as Record<string, unknown>;
  const clean = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== null));
  const resources: Record<string, unknown> = {};
  for (const name of names) {
    const r: Record<string, unknown> = { type: def['type'] };
    if (Object.keys(clean).length > 0) r['properties'] = replaceIndex(clean, indexVar, name);
    if (def['metadata'] !== null && def['metadata'] !== undefined) r['metadata'] = def['metadata'];
    resources[name] = r;
  }
  return {
    heat_template_version: CHILD_VERSION,
    resources,
    outputs: { [REFS_MAP]: refsOutput(names) },
  };
}

/** _get_new_skiplist_entries: members named by the policies, by name or by reference. */
async function newSkips(rc: ResourceContext, id: string | null, props: Props, current: string[]) {
  const members = id === null ? new Map<string, string | null>() : await nestedOf(rc).members(id);
  const refs = id === null ? {} : await refsMap(rc, id);
  const out: string[] = [];
  for (const policy of (props['removal_policies'] ?? []) as Array<Record<string, unknown>>) {
    for (const n of (policy['resource_list'] ?? []) as unknown[]) {
      const name = typeof n === 'string' ? n : JSON.stringify(n);
      if (current.includes(name) || id === null || members.has(name)) out.push(name);
      else if (typeof n === 'string') {
        const found = Object.entries(refs).find(([, ref]) => ref === n);
        if (found) out.push(found[0]);
      }
    }
  }
  return out;
}

async function updateSkiplist(rc: ResourceContext, id: string | null, props: Props) {
  const current = skiplist(rc);
  const base = props['removal_policies_mode'] === 'update' ? [] : current;
  const next = [...new Set([...base, ...(await newSkips(rc, id, props, current))])].sort();
  if (next.join(',') !== [...current].sort().join(',')) {
    await rc.data.set('name_blacklist', next.join(','));
  }
  return next;
}

async function refsMap(rc: ResourceContext, id: string): Promise<Record<string, unknown>> {
  const v = (await nestedOf(rc).outputs(id)).get(REFS_MAP);
  return v !== null && typeof v === 'object' ? (v as Record<string, unknown>) : {};
}

function childDef(rc: ResourceContext, props: Props, names: string[]) {
  return {
    template: groupTemplate(props, names),
    files: rc.definition?.files ?? {},
    environment: childEnvironment(rc.definition?.environment, rc.resourceName),
    parameters: {},
    timeoutMins: null,
  };
}

export const resourceGroup: ResourceType = {
  type: 'OS::Heat::ResourceGroup',
  alwaysUpdate: true,
  description: GROUP_DOCS.description,
  supportStatus: since('2014.1'),
  properties: GROUP_PROPERTIES,
  attributes: GROUP_DOCS.attributes,

  ...childActions,

  async childDefinition(rc, props) {
    const skip = await updateSkiplist(rc, null, props);
    return childDef(rc, props, memberNames(props['count'] as number, skip));
  },

  async create(rc, props) {
    const skip = await updateSkiplist(rc, null, props);
    const names = memberNames(props['count'] as number, skip);
    return nestedOf(rc).create(childDef(rc, props, names));
  },

  checkCreateComplete(rc, id) {
    return childDone(rc, id, 'CREATE');
  },

  async update(rc, id, next) {
    const skip = await updateSkiplist(rc, id, next);
    const names = memberNames(next['count'] as number, skip);
    await nestedOf(rc).update(id, childDef(rc, next, names));
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

  /** Any other name is the list of each member's attribute of that name. */
  acceptsAttribute() {
    return true;
  },

  async attribute(rc, id, name, props) {
    if (name === 'removed_rsrc_list') return skiplist(rc);
    return membersAttribute(rc, id, name, memberNames(props['count'] as number, skiplist(rc)));
  },
};

/**
 * A group's attributes over its members `names` (grouputils): refs and refs_map are their
 * references, `resource.<n>[.<attr>]` one member's, `attributes` {attr: {member: value}} (so
 * get_attr [group, attributes, <attr>] is Heat's {member: value}), and any other name the
 * list of each member's attribute of that name.
 */
export async function membersAttribute(
  rc: ResourceContext,
  id: string,
  name: string,
  names: string[],
): Promise<unknown> {
  const nested = nestedOf(rc);
  if (name === 'refs' || name === REFS_MAP || /^resource\.[^.]*$/.test(name)) {
    const refs = await refsMap(rc, id);
    if (name === 'refs') return names.map((n) => refs[n] ?? null);
    if (name === REFS_MAP) return Object.fromEntries(names.map((n) => [n, refs[n] ?? null]));
    const member = name.slice('resource.'.length);
    if (!Object.hasOwn(refs, member)) {
      throw new HeatFault(
        'NotFound',
        `Member '${member}' not found in group resource '${rc.resourceName}'.`,
      );
    }
    return refs[member];
  }
  if (name.startsWith('resource.')) return memberAttribute(rc, id, name);
  if (name === 'attributes') {
    const byAttr: Record<string, Record<string, unknown>> = {};
    for (const n of names) {
      const all = (await nested.attribute(id, n, null, [])) as Record<string, unknown> | null;
      for (const [attr, value] of Object.entries(all ?? {})) (byAttr[attr] ??= {})[n] = value;
    }
    return byAttr;
  }
  return Promise.all(names.map((n) => nested.attribute(id, n, name, [])));
}

/** The output every group child gets: member name to its reference (get_resource). */
export function refsOutput(names: string[]): Record<string, unknown> {
  return { value: Object.fromEntries(names.map((n) => [n, { get_resource: n }])) };
}
