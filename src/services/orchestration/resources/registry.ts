import type { ResourceType } from './types.js';

/** Every resource type the engine knows, by name: `resource type list` lists these. */
export class TypeRegistry {
  private readonly types = new Map<string, ResourceType>();

  constructor(groups: ResourceType[][]) {
    for (const group of groups) for (const type of group) this.types.set(type.type, type);
  }

  get(name: string): ResourceType | undefined {
    return this.types.get(name);
  }

  all(): ResourceType[] {
    return [...this.types.values()].sort((a, b) => (a.type < b.type ? -1 : 1));
  }
}
