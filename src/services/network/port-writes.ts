import type { RequestContext } from '../../context.js';
import type { Db } from '../../store/db.js';
import type { PortRow } from '../../store/network-schema.js';
import { conflict, NeutronFault } from './errors.js';
import { exists } from './port-delete.js';
import { newMac } from './port-mac.js';
import { updateFixedIps } from './port-ip-update.js';
import { ROUTER_INTERFACE_OWNERS } from './device-owners.js';
import { enforcePortPolicy } from './port-policy.js';
import { checkGroups, setPortGroups, trustedOwner } from './port-security-groups.js';
import type { PortInput } from './ports.js';
import type { SecurityGroups } from './security-groups.js';
import { bumpRevision, revisionFailed } from './standard.js';

/** What ML2/OVS shows for a port bound on a host (neutron/plugins/ml2/drivers/openvswitch). */
const OVS_VIF_DETAILS = {
  port_filter: true,
  connectivity: 'l2',
  ovs_hybrid_plug: false,
  datapath_type: 'system',
  bridge_name: 'br-int',
};

/** Router ports whose IPv4 addresses the port API may not change (l3-port-ip-change-not-allowed). */
const IP_UPDATE_NOT_ALLOWED = [
  'network:router_interface',
  'network:router_ha_interface',
  'network:ha_router_replicated_interface',
  'network:router_centralized_snat',
  'network:router_interface_distributed',
];

/**
 * A port's binding. No agent runs here, so a host is all binding takes: bound on a host, a
 * port shows what ML2/OVS shows once bound and is ACTIVE while administratively up; unbound,
 * it is DOWN with vif_type `unbound`, as Neutron shows a port nothing has plugged.
 */
export function bindingOf(
  host: string,
  adminUp: boolean,
): Pick<PortRow, 'status' | 'binding_vif_type' | 'binding_vif_details'> {
  if (host === '')
    return { status: 'DOWN', binding_vif_type: 'unbound', binding_vif_details: '{}' };
  return {
    status: adminUp ? 'ACTIVE' : 'DOWN',
    binding_vif_type: 'ovs',
    binding_vif_details: JSON.stringify(OVS_VIF_DETAILS),
  };
}

function pairsNeedPortSecurity(): NeutronFault {
  return conflict(
    'AddressPairAndPortSecurityRequired',
    'Port Security must be enabled in order to have allowed address pairs on a port.',
  );
}

function groupsNeedPortSecurity(): NeutronFault {
  return new NeutronFault(
    400,
    'PortSecurityAndIPRequiredForSecurityGroups',
    'Port security must be enabled and port must have an IP address in order to use security groups.',
  );
}

/**
 * A new port's groups (ml2 _portsec_ext_port_create_processing, then the groups): with port
 * security, the ones named or else the project's default group (none for `network:*` ports);
 * without it, address pairs and groups are refused.
 */
export async function applyGroups(
  tx: Db,
  sgs: SecurityGroups,
  port: PortRow,
  isAdmin: boolean,
  input: PortInput,
): Promise<void> {
  const secured = port.port_security_enabled === 1;
  if (!secured && (input.allowed_address_pairs?.length ?? 0) > 0) throw pairsNeedPortSecurity();
  if (!secured && (input.security_groups?.length ?? 0) > 0) throw groupsNeedPortSecurity();
  let groups: string[] = [];
  if (secured && !trustedOwner(port.device_owner)) {
    if (input.security_groups === undefined) {
      groups = [await sgs.defaultGroup(tx, port.project_id)];
    } else {
      await checkGroups(tx, isAdmin, port.project_id, input.security_groups);
      groups = input.security_groups;
    }
  }
  await setPortGroups(tx, port.id, groups);
}

/** DeviceIDNotOwnedByTenant: a member may not claim another project's router as a device. */
export async function checkRouterDevice(
  tx: Db,
  ctx: RequestContext,
  owner: string,
  deviceId: string,
  projectId: string,
): Promise<void> {
  if (ctx.isAdmin || deviceId === '' || !ROUTER_INTERFACE_OWNERS.includes(owner)) return;
  const router = await tx
    .selectFrom('routers')
    .select('project_id')
    .where('id', '=', deviceId)
    .executeTakeFirst();
  if (router && router.project_id !== projectId) {
    throw conflict(
      'DeviceIDNotOwnedByTenant',
      `The following device_id ${deviceId} is not owned by your tenant or matches another tenants router.`,
    );
  }
}

export type DhcpOpt = { opt_name: string; opt_value: string | null; ip_version: number };

/**
 * extra_dhcp_opts: by name and IP version, a value replaces, null removes (on create, a null
 * is simply not stored).
 */
export function mergeDhcpOpts(current: DhcpOpt[], given: DhcpOpt[]): DhcpOpt[] {
  // Keyed once, so that a long list costs one pass, not one scan per option.
  const byKey = new Map(current.map((c) => [JSON.stringify([c.opt_name, c.ip_version]), c]));
  for (const o of given) {
    const key = JSON.stringify([o.opt_name, o.ip_version]);
    if (o.opt_value === null) byKey.delete(key);
    else byKey.set(key, o);
  }
  return [...byKey.values()];
}

/** A port update, in Neutron's order: policy, device and MAC, addresses, port security. */
export async function updatePort(
  tx: Db,
  ctx: RequestContext,
  row: PortRow,
  input: PortInput,
  ifMatch: number | undefined,
): Promise<void> {
  if (ifMatch !== undefined && ifMatch !== row.revision_number) {
    throw revisionFailed(ifMatch, row.revision_number);
  }
  const network = await tx
    .selectFrom('networks')
    .select(['project_id', 'shared'])
    .where('id', '=', row.network_id)
    .executeTakeFirstOrThrow();
  enforcePortPolicy(ctx, 'update_port', input, network, row.project_id);
  const set: Partial<PortRow> = {};
  const owner = input.device_owner ?? row.device_owner;
  const deviceId = input.device_id ?? row.device_id;
  if (input.device_owner !== undefined || (owner !== '' && deviceId !== row.device_id)) {
    await checkRouterDevice(tx, ctx, owner, deviceId, row.project_id);
  }
  const mac = input.mac_address ? await newMac(tx, row, owner, input.mac_address) : row.mac_address;
  if (mac !== row.mac_address) set.mac_address = mac;
  if (input.fixed_ips !== undefined) {
    const refuseV4 =
      IP_UPDATE_NOT_ALLOWED.includes(owner) && (await exists(tx, 'routers', row.device_id));
    const port = { id: row.id, network_id: row.network_id, device_owner: owner, mac_address: mac };
    await updateFixedIps(tx, port, input.fixed_ips, refuseV4);
  }
  const secured = input.port_security_enabled ?? row.port_security_enabled === 1;
  const pairs = input.allowed_address_pairs;
  if (!secured) {
    if (pairs !== undefined ? pairs.length > 0 : row.allowed_address_pairs !== '[]') {
      throw pairsNeedPortSecurity();
    }
    if ((input.security_groups?.length ?? 0) > 0) throw groupsNeedPortSecurity();
    if (input.security_groups === undefined) {
      const bound = await tx
        .selectFrom('port_security_groups')
        .select('port_id')
        .where('port_id', '=', row.id)
        .executeTakeFirst();
      if (bound) {
        throw conflict(
          'PortSecurityPortHasSecurityGroup',
          'Port has security group associated. Cannot disable port security or IP address until security group is removed.',
        );
      }
    }
  }
  if (input.port_security_enabled !== undefined) set.port_security_enabled = secured ? 1 : 0;
  if (pairs !== undefined) {
    set.allowed_address_pairs = JSON.stringify(
      pairs.map((p) => ({ ip_address: p.ip_address, mac_address: p.mac_address ?? mac })),
    );
  }
  if (input.security_groups !== undefined) {
    await checkGroups(tx, ctx.isAdmin, row.project_id, input.security_groups);
    await setPortGroups(tx, row.id, input.security_groups);
  }
  if (input.name !== undefined) set.name = input.name;
  if (input.description !== undefined) set.description = input.description;
  if (input.device_id !== undefined) set.device_id = input.device_id;
  if (input.device_owner !== undefined) set.device_owner = input.device_owner;
  if (input.admin_state_up !== undefined) set.admin_state_up = input.admin_state_up ? 1 : 0;
  if (input.binding_vnic_type !== undefined) set.binding_vnic_type = input.binding_vnic_type;
  if (input.binding_profile !== undefined) {
    set.binding_profile = JSON.stringify(input.binding_profile ?? {});
  }
  if (input.extra_dhcp_opts !== undefined) {
    const current = JSON.parse(row.extra_dhcp_opts) as DhcpOpt[];
    set.extra_dhcp_opts = JSON.stringify(
      mergeDhcpOpts(current, input.extra_dhcp_opts as DhcpOpt[]),
    );
  }
  if (input.binding_host_id !== undefined || input.admin_state_up !== undefined) {
    const host = input.binding_host_id ?? row.binding_host_id;
    const up = input.admin_state_up ?? row.admin_state_up === 1;
    const b = bindingOf(host, up);
    set.binding_host_id = host;
    set.binding_vif_type = b.binding_vif_type;
    set.binding_vif_details = b.binding_vif_details;
    // Ports routers and floating IPs own keep the status their owner gave them.
    if (!trustedOwner(owner)) set.status = b.status;
  }
  await bumpRevision(tx, 'ports', row, set, ifMatch);
}
