import type { Extension } from '../extensions.js';

/** `{name, alias, description, updated, links: []}`: Neutron never fills links. */
export function extensionView(e: Extension): Record<string, unknown> {
  return {
    name: e.name,
    alias: e.alias,
    description: e.description,
    updated: e.updated,
    links: [],
  };
}
