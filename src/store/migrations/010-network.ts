import type { Kysely } from 'kysely';

type Db = Kysely<unknown>;

export async function up(db: Db): Promise<void> {
  await db.schema
    .createTable('networks')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('project_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('name', 'varchar(255)', (c) => c.notNull())
    .addColumn('description', 'varchar(255)', (c) => c.notNull())
    .addColumn('admin_state_up', 'integer', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('shared', 'integer', (c) => c.notNull())
    .addColumn('external', 'integer', (c) => c.notNull())
    .addColumn('is_default', 'integer', (c) => c.notNull())
    .addColumn('mtu', 'integer', (c) => c.notNull())
    .addColumn('port_security_enabled', 'integer', (c) => c.notNull())
    .addColumn('network_type', 'varchar(32)')
    .addColumn('physical_network', 'varchar(64)')
    .addColumn('segmentation_id', 'integer')
    .addColumn('az_hints', 'text', (c) => c.notNull())
    .addColumn('dns_domain', 'varchar(255)', (c) => c.notNull())
    .addColumn('revision_number', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  // A member's page is a range of this index: its project's rows in id order.
  await db.schema
    .createIndex('networks_project_id')
    .on('networks')
    .columns(['project_id', 'id'])
    .execute();

  await db.schema
    .createTable('subnetpools')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('project_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('name', 'varchar(255)', (c) => c.notNull())
    .addColumn('description', 'varchar(255)', (c) => c.notNull())
    .addColumn('ip_version', 'integer', (c) => c.notNull())
    /** JSON array of CIDRs. */
    .addColumn('prefixes', 'text', (c) => c.notNull())
    .addColumn('default_prefixlen', 'integer', (c) => c.notNull())
    .addColumn('min_prefixlen', 'integer', (c) => c.notNull())
    .addColumn('max_prefixlen', 'integer', (c) => c.notNull())
    .addColumn('shared', 'integer', (c) => c.notNull())
    .addColumn('is_default', 'integer', (c) => c.notNull())
    .addColumn('default_quota', 'integer')
    .addColumn('address_scope_id', 'varchar(36)')
    .addColumn('revision_number', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('subnets')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('project_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('network_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('name', 'varchar(255)', (c) => c.notNull())
    .addColumn('description', 'varchar(255)', (c) => c.notNull())
    .addColumn('ip_version', 'integer', (c) => c.notNull())
    .addColumn('cidr', 'varchar(64)', (c) => c.notNull())
    .addColumn('gateway_ip', 'varchar(64)')
    .addColumn('enable_dhcp', 'integer', (c) => c.notNull())
    .addColumn('ipv6_ra_mode', 'varchar(16)')
    .addColumn('ipv6_address_mode', 'varchar(16)')
    .addColumn('subnetpool_id', 'varchar(36)')
    /** JSON arrays: DNS servers (strings), host routes ({destination, nexthop}), service types. */
    .addColumn('dns_nameservers', 'text', (c) => c.notNull())
    .addColumn('host_routes', 'text', (c) => c.notNull())
    .addColumn('service_types', 'text', (c) => c.notNull())
    .addColumn('revision_number', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('subnets_network').on('subnets').column('network_id').execute();
  await db.schema
    .createIndex('subnets_project_id')
    .on('subnets')
    .columns(['project_id', 'id'])
    .execute();

  // IP address management. Addresses are keyed by a fixed-width hex text of their 128-bit value
  // (IPv4 too), so text order is address order and ranges compare in SQL on both databases.
  await db.schema
    .createTable('subnet_allocation_pools')
    .addColumn('subnet_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('first_ip', 'varchar(64)', (c) => c.notNull())
    .addColumn('last_ip', 'varchar(64)', (c) => c.notNull())
    .addColumn('first_key', 'varchar(32)', (c) => c.notNull())
    .addColumn('last_key', 'varchar(32)', (c) => c.notNull())
    .addPrimaryKeyConstraint('subnet_allocation_pools_pk', ['subnet_id', 'first_key'])
    .execute();
  // What is still free in the pools, as ranges: allocating takes the lowest range's first
  // address, an index lookup, never a scan of what is used.
  await db.schema
    .createTable('ip_free_ranges')
    .addColumn('subnet_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('first_key', 'varchar(32)', (c) => c.notNull())
    .addColumn('last_key', 'varchar(32)', (c) => c.notNull())
    .addPrimaryKeyConstraint('ip_free_ranges_pk', ['subnet_id', 'first_key'])
    .execute();
  await db.schema
    .createIndex('ip_free_ranges_last')
    .on('ip_free_ranges')
    .columns(['subnet_id', 'last_key'])
    .execute();
  // The primary key is the last word on "an address is handed out once".
  await db.schema
    .createTable('ip_allocations')
    .addColumn('subnet_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('ip_key', 'varchar(32)', (c) => c.notNull())
    .addColumn('ip_address', 'varchar(64)', (c) => c.notNull())
    .addColumn('network_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('port_id', 'varchar(36)', (c) => c.notNull())
    .addPrimaryKeyConstraint('ip_allocations_pk', ['subnet_id', 'ip_key'])
    .execute();
  await db.schema
    .createIndex('ip_allocations_port')
    .on('ip_allocations')
    .column('port_id')
    .execute();

  await db.schema
    .createTable('ports')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('project_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('network_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('name', 'varchar(255)', (c) => c.notNull())
    .addColumn('description', 'varchar(255)', (c) => c.notNull())
    .addColumn('mac_address', 'varchar(32)', (c) => c.notNull())
    .addColumn('admin_state_up', 'integer', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('device_id', 'varchar(255)', (c) => c.notNull())
    .addColumn('device_owner', 'varchar(255)', (c) => c.notNull())
    .addColumn('port_security_enabled', 'integer', (c) => c.notNull())
    .addColumn('binding_host_id', 'varchar(255)', (c) => c.notNull())
    .addColumn('binding_vnic_type', 'varchar(64)', (c) => c.notNull())
    .addColumn('binding_vif_type', 'varchar(64)', (c) => c.notNull())
    /** JSON objects and arrays, as the API shows them. */
    .addColumn('binding_profile', 'text', (c) => c.notNull())
    .addColumn('binding_vif_details', 'text', (c) => c.notNull())
    .addColumn('allowed_address_pairs', 'text', (c) => c.notNull())
    .addColumn('extra_dhcp_opts', 'text', (c) => c.notNull())
    .addColumn('dns_name', 'varchar(255)', (c) => c.notNull())
    .addColumn('revision_number', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .addUniqueConstraint('ports_network_mac', ['network_id', 'mac_address'])
    .execute();
  // A member's page is a range of this index: its project's rows in id order.
  await db.schema
    .createIndex('ports_project_id')
    .on('ports')
    .columns(['project_id', 'id'])
    .execute();
  await db.schema.createIndex('ports_device').on('ports').column('device_id').execute();
  // Does a project's network hold other projects' ports? Two index seeks per network.
  await db.schema
    .createIndex('ports_network_project')
    .on('ports')
    .columns(['network_id', 'project_id'])
    .execute();

  await db.schema
    .createTable('security_groups')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('project_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('name', 'varchar(255)', (c) => c.notNull())
    .addColumn('description', 'varchar(255)', (c) => c.notNull())
    .addColumn('stateful', 'integer', (c) => c.notNull())
    .addColumn('revision_number', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  // A member's page is a range of this index: its project's rows in id order.
  await db.schema
    .createIndex('security_groups_project_id')
    .on('security_groups')
    .columns(['project_id', 'id'])
    .execute();
  // One default group per project, even when two first requests race to make it.
  await db.schema
    .createTable('default_security_groups')
    .addColumn('project_id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('security_group_id', 'varchar(36)', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('security_group_rules')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('project_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('security_group_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('direction', 'varchar(8)', (c) => c.notNull())
    .addColumn('ethertype', 'varchar(8)', (c) => c.notNull())
    .addColumn('protocol', 'varchar(40)')
    .addColumn('port_range_min', 'integer')
    .addColumn('port_range_max', 'integer')
    .addColumn('remote_ip_prefix', 'varchar(64)')
    .addColumn('remote_group_id', 'varchar(36)')
    .addColumn('remote_address_group_id', 'varchar(36)')
    .addColumn('description', 'varchar(255)', (c) => c.notNull())
    .addColumn('revision_number', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('security_group_rules_group')
    .on('security_group_rules')
    .column('security_group_id')
    .execute();
  await db.schema
    .createTable('port_security_groups')
    .addColumn('port_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('security_group_id', 'varchar(36)', (c) => c.notNull())
    .addPrimaryKeyConstraint('port_security_groups_pk', ['port_id', 'security_group_id'])
    .execute();
  await db.schema
    .createIndex('port_security_groups_group')
    .on('port_security_groups')
    .column('security_group_id')
    .execute();

  await db.schema
    .createTable('routers')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('project_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('name', 'varchar(255)', (c) => c.notNull())
    .addColumn('description', 'varchar(255)', (c) => c.notNull())
    .addColumn('admin_state_up', 'integer', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('gw_network_id', 'varchar(36)')
    .addColumn('gw_port_id', 'varchar(36)')
    .addColumn('enable_snat', 'integer', (c) => c.notNull())
    /** JSON array of {destination, nexthop}. */
    .addColumn('routes', 'text', (c) => c.notNull())
    .addColumn('distributed', 'integer', (c) => c.notNull())
    .addColumn('ha', 'integer', (c) => c.notNull())
    .addColumn('az_hints', 'text', (c) => c.notNull())
    .addColumn('revision_number', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  // Neutron's routerports: which ports belong to which router, and as what.
  await db.schema
    .createTable('router_ports')
    .addColumn('router_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('port_id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('port_type', 'varchar(255)', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('router_ports_router')
    .on('router_ports')
    .column('router_id')
    .execute();

  await db.schema
    .createTable('floatingips')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('project_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('description', 'varchar(255)', (c) => c.notNull())
    .addColumn('floating_network_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('floating_port_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('floating_ip_address', 'varchar(64)', (c) => c.notNull())
    .addColumn('fixed_port_id', 'varchar(36)')
    .addColumn('fixed_ip_address', 'varchar(64)')
    .addColumn('router_id', 'varchar(36)')
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('revision_number', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('floatingips_fixed_port')
    .on('floatingips')
    .column('fixed_port_id')
    .execute();

  // Tags of every resource type in one table (Neutron's standard-attr tags).
  await db.schema
    .createTable('network_tags')
    .addColumn('resource_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('tag', 'varchar(255)', (c) => c.notNull())
    .addPrimaryKeyConstraint('network_tags_pk', ['resource_id', 'tag'])
    .execute();
  await db.schema.createIndex('network_tags_tag').on('network_tags').column('tag').execute();

  await db.schema
    .createTable('network_quotas')
    .addColumn('project_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('resource', 'varchar(64)', (c) => c.notNull())
    .addColumn('hard_limit', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('network_quotas_pk', ['project_id', 'resource'])
    .execute();
}
