import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AttributeMap } from '../../src/services/network/routes/attributes.js';
import type { TableSpec } from '../../src/services/network/listing.js';
import { NETWORK_ATTRIBUTES } from '../../src/services/network/routes/networks.attributes.js';
import { SUBNET_ATTRIBUTES } from '../../src/services/network/routes/subnets.attributes.js';
import { PORT_ATTRIBUTES } from '../../src/services/network/routes/ports.attributes.js';
import { ROUTER_ATTRIBUTES } from '../../src/services/network/routes/routers.attributes.js';
import { FLOATINGIP_ATTRIBUTES } from '../../src/services/network/routes/floatingips.attributes.js';
import { SECURITY_GROUP_ATTRIBUTES } from '../../src/services/network/routes/security-groups.attributes.js';
import { SECURITY_GROUP_RULE_ATTRIBUTES } from '../../src/services/network/routes/security-group-rules.attributes.js';
import { SUBNETPOOL_ATTRIBUTES } from '../../src/services/network/routes/subnetpools.attributes.js';
import { NETWORK_TABLE } from '../../src/services/network/networks.js';
import { SUBNET_TABLE } from '../../src/services/network/subnets.js';
import { PORT_TABLE } from '../../src/services/network/port-list.js';
import { ROUTER_TABLE } from '../../src/services/network/routers.js';
import { FLOATINGIP_TABLE } from '../../src/services/network/floating-ips.js';
import { SECURITY_GROUP_TABLE } from '../../src/services/network/security-groups.js';
import { SECURITY_GROUP_RULE_TABLE } from '../../src/services/network/security-group-rules.js';
import { SUBNETPOOL_TABLE } from '../../src/services/network/subnetpools.js';

/** Filters a resource reads itself, outside its table's columns. */
const READ_BY_RESOURCE: Record<string, string[]> = {
  subnets: ['shared'],
  security_groups: ['shared'],
};

const PAIRS: [AttributeMap, TableSpec][] = [
  [NETWORK_ATTRIBUTES, NETWORK_TABLE],
  [SUBNET_ATTRIBUTES, SUBNET_TABLE],
  [PORT_ATTRIBUTES, PORT_TABLE],
  [ROUTER_ATTRIBUTES, ROUTER_TABLE],
  [FLOATINGIP_ATTRIBUTES, FLOATINGIP_TABLE],
  [SECURITY_GROUP_ATTRIBUTES, SECURITY_GROUP_TABLE],
  [SECURITY_GROUP_RULE_ATTRIBUTES, SECURITY_GROUP_RULE_TABLE],
  [SUBNETPOOL_ATTRIBUTES, SUBNETPOOL_TABLE],
];

// A route accepts what the attribute map declares; the list reads the table spec. An attribute
// that filters without a column would be ignored (every row matches), one that sorts would fail.
test('every filter and sort key a route accepts has a column to filter and sort on', () => {
  for (const [attributes, table] of PAIRS) {
    const ownFilters = READ_BY_RESOURCE[table.table] ?? [];
    for (const [name, attr] of Object.entries(attributes)) {
      if (attr.sort) assert.ok(table.columns[name], `${table.table}: sort key ${name}`);
      if (attr.filter && !ownFilters.includes(name)) {
        assert.ok(table.columns[name], `${table.table}: filter ${name}`);
      }
    }
  }
});
