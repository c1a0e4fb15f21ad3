import { NeutronFault } from './errors.js';

export interface Extension {
  alias: string;
  name: string;
  description: string;
  updated: string;
}

/** The collections whose tags the tag API serves, as the standard-attr-tag name lists them. */
const TAGGED = 'network, subnet, port, subnetpool, router, floatingip, security_group';

/**
 * What /v2.0/extensions advertises: exactly what this build serves, nothing a DevStack has
 * that pocketstack lacks (clients and Tempest switch features on by these aliases). Texts are
 * Zed's (neutron-lib 3.1 api/definitions and neutron/extensions). To withdraw a feature,
 * delete its line; the comment after each says what serves it.
 */
// prettier-ignore
const EXTENSIONS: [alias: string, name: string, description: string, updated: string][] = [
  ['agent', 'agent', 'The agent management extension.', '2013-02-03T10:00:00-00:00'], // agents
  ["agent-resources-synced", "Agent's Resource View Synced to Placement", 'Stores success/failure of last sync to Placement', '2018-12-19T00:00:00-00:00'], // agents: resources_synced
  ['allowed-address-pairs', 'Allowed Address Pairs', 'Provides allowed address pairs', '2013-07-23T10:00:00-00:00'], // ports
  ['auto-allocated-topology', 'Auto Allocated Topology Services', 'Auto Allocated Topology Services.', '2016-01-01T00:00:00-00:00'], // auto-allocated topology
  ['availability_zone', 'Availability Zone', 'The availability zone extension.', '2015-01-01T10:00:00-00:00'], // availability zones
  ['availability_zone_filter', 'Availability Zone Filter Extension', 'Add filter parameters to AvailabilityZone resource', '2018-06-22T10:00:00-00:00'], // availability zones
  ['binding', 'Port Binding', 'Expose port bindings of a virtual port to external application', '2014-02-03T10:00:00-00:00'], // ports
  ['default-subnetpools', 'Default Subnetpools', 'Provides ability to mark and use a subnetpool as the default.', '2016-02-18T18:00:00-00:00'], // subnet pools
  ['empty-string-filtering', 'Empty String Filtering Extension', 'Allow filtering by attributes with empty string value', '2018-05-01T10:00:00-00:00'], // list filters
  ['external-net', 'Neutron external network', 'Adds external network attribute to network resource.', '2013-01-14T10:00:00-00:00'], // networks
  ['ext-gw-mode', 'Neutron L3 Configurable external gateway mode', 'Extension of the router abstraction for specifying whether SNAT should occur on the external gateway', '2013-03-28T10:00:00-00:00'], // routers
  ['extra_dhcp_opt', 'Neutron Extra DHCP options', 'Extra options configuration for DHCP. For example PXE boot options to DHCP clients can be specified (e.g. tftp-server, server-ip-address, bootfile-name)', '2013-03-17T12:00:00-00:00'], // ports
  ['extraroute', 'Neutron Extra Route', 'Extra routes configuration for L3 router', '2013-02-01T10:00:00-00:00'], // routers
  ['filter-validation', 'Filter parameters validation', 'Provides validation on filter parameters.', '2018-07-04T10:00:00-00:00'], // list filters
  ['fip-port-details', 'Floating IP Port Details Extension', 'Add port_details attribute to Floating IP resource', '2018-04-09T10:00:00-00:00'], // floating IPs
  ['ip-substring-filtering', 'IP address substring filtering', 'Provides IP address substring filtering when listing ports', '2017-11-28T09:00:00-00:00'], // ports
  ['net-mtu', 'Network MTU', 'Provides MTU attribute for a network resource.', '2015-03-25T10:00:00-00:00'], // networks
  ['net-mtu-writable', 'Network MTU (writable)', 'Provides a writable MTU attribute for a network resource.', '2017-07-12T00:00:00-00:00'], // networks
  ['network_availability_zone', 'Network Availability Zone', 'Availability zone support for network.', '2015-01-01T10:00:00-00:00'], // networks
  ['pagination', 'Pagination support', 'Extension that indicates that pagination is enabled.', '2016-06-12T00:00:00-00:00'], // lists
  ['port-security', 'Port Security', 'Provides port security', '2012-07-23T10:00:00-00:00'], // networks, ports
  ['project-id', 'project_id field enabled', 'Extension that indicates that project_id field is enabled.', '2016-09-09T09:09:09-09:09'], // every resource
  ['provider', 'Provider Network', 'Expose mapping of virtual networks to physical networks', '2012-09-07T10:00:00-00:00'], // networks
  ['quota-check-limit', 'Quota engine limit check', 'Support for checking the resource usage before applying a new quota limit', '2021-09-08T16:00:00-00:00'], // quotas
  ['quota_details', 'Quota details management support', 'Expose functions for quotas usage statistics per project', '2017-02-10T10:00:00-00:00'], // quotas
  ['quotas', 'Quota management support', 'Expose functions for quotas management per project', '2012-07-29T10:00:00-00:00'], // quotas
  ['revision-if-match', 'If-Match constraints based on revision_number', 'Extension indicating that If-Match based on revision_number is supported.', '2016-12-11T00:00:00-00:00'], // every update
  ['router', 'Neutron L3 Router', 'Router abstraction for basic L3 forwarding between L2 Neutron networks and access to external networks via a NAT gateway.', '2012-07-20T10:00:00-00:00'], // routers, floating IPs
  ['router_availability_zone', 'Router Availability Zone', 'Availability zone support for router.', '2015-01-01T10:00:00-00:00'], // routers
  ['security-group', 'security-group', 'The security groups extension.', '2012-10-05T10:00:00-00:00'], // security groups
  ['sorting', 'Sorting support', 'Extension that indicates that sorting is enabled.', '2016-06-12T00:00:00-00:00'], // lists
  ['standard-attr-description', 'standard-attr-description', 'Extension to add descriptions to standard attributes', '2016-02-10T10:00:00-00:00'], // every resource
  ['standard-attr-revisions', 'Resource revision numbers', 'This extension will display the revision number of neutron resources.', '2016-04-11T10:00:00-00:00'], // every resource
  ['standard-attr-tag', `Tag support for resources with standard attribute: ${TAGGED}`, 'Enables to set tag on resources with standard attribute.', '2017-01-01T00:00:00-00:00'], // tags
  ['standard-attr-timestamp', 'Resource timestamps', 'Adds created_at and updated_at fields to all Neutron resources that have Neutron standard attributes.', '2016-09-12T10:00:00-00:00'], // every resource
  ['stateful-security-group', 'Stateful security group', 'Indicates if the security group is stateful or not', '2019-11-26T09:00:00-00:00'], // security groups
  ['tag', 'Tag support', 'Enables to set tag on resources.', '2016-01-01T00:00:00-00:00'], // tags on networks (Zed folded it into standard-attr-tag; Tempest's TagsTest asks for it)
  ['subnet_allocation', 'Subnet Allocation', 'Enables allocation of subnets from a subnet pool', '2015-03-30T10:00:00-00:00'], // subnet pools
];

const BY_ALIAS = new Map<string, Extension>(
  EXTENSIONS.map(([alias, name, description, updated]) => [
    alias,
    { alias, name, description, updated },
  ]),
);

/** The extension list; not subject to policy (every caller sees all of it). */
export class Extensions {
  list(): Extension[] {
    return [...BY_ALIAS.values()];
  }

  get(alias: string): Extension {
    const found = BY_ALIAS.get(alias);
    if (!found) {
      throw new NeutronFault(404, 'HTTPNotFound', `Extension with alias ${alias} does not exist`);
    }
    return found;
  }
}
