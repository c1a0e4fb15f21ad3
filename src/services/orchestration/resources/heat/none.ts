import { randomUUID } from 'node:crypto';
import type { ResourceType } from '../types.js';
import { DOCS } from './docs.js';
import { since } from './support.js';

/**
 * OS::Heat::None (none_resource.py): a stub that accepts any properties, makes nothing and
 * answers every attribute with null. It never updates and is never replaced (_needs_update is
 * False), so `update` does nothing whatever changed.
 *
 * Heat re-parses its properties against an empty schema, which accepts anything: the engine must
 * skip property validation for this type (`acceptsAnyProperties`), as an empty `properties`
 * map would otherwise refuse every key.
 */
export const noneResource: ResourceType & { acceptsAnyProperties: true } = {
  type: 'OS::Heat::None',
  description: DOCS.none,
  supportStatus: since('5.0.0'),
  acceptsAnyProperties: true,
  properties: {},
  attributes: {},

  async create(rc) {
    // Heat marks the resource as a placeholder, so its delete never calls a client.
    await rc.data.set('is_placeholder', 'True');
    return randomUUID();
  },

  async update() {},

  async delete() {},

  async attribute() {
    return null;
  },
};
