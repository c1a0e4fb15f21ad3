/** os-flavor-access: the projects a private flavor is shared with. */
export function flavorAccessView(flavorId: string, projects: string[]): Record<string, unknown> {
  return {
    flavor_access: projects.map((tenant) => ({ flavor_id: flavorId, tenant_id: tenant })),
  };
}

/** os-extra_specs: all of a flavor's specs. */
export function extraSpecsView(specs: Record<string, string>): Record<string, unknown> {
  return { extra_specs: specs };
}

/**
 * One extra spec: {"<key>": "<value>"}, in a null-prototype object so that a key such as
 * `__proto__` is written as a key.
 */
export function extraSpecView(key: string, value: string): Record<string, string> {
  const view = Object.create(null) as Record<string, string>;
  view[key] = value;
  return view;
}

/** What a set of extra specs answers: the specs as given (values as stored, strings). */
export function extraSpecsSetView(specs: ReadonlyMap<string, string>): Record<string, string> {
  const view = Object.create(null) as Record<string, string>;
  for (const [key, value] of specs) view[key] = value;
  return view;
}
