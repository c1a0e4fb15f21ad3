import type { RequestContext } from '../../context.js';
import { NeutronFault } from './errors.js';
import type { PortInput } from './ports.js';

/**
 * Neutron's port policy (neutron/conf/policies/port.py, Zed defaults) for the attributes that
 * carry `enforce_policy`. Most belong to the network's owner (or an admin); `binding:host_id`
 * and `binding:profile` to admins; a MAC address is changed by admins only. A refusal names
 * the rule Neutron builds (neutron/policy.py _build_match_rule): the action ANDed, one term at
 * a time, with a term per attribute the request sets, in the attribute maps' order.
 */
interface Who {
  admin: boolean;
  netOwner: boolean;
  shared: boolean;
  portOwner: boolean;
}

type Action = 'create_port' | 'update_port';

/** A term and whether the caller passes it. */
type Term = [string, boolean];

function subTerms(action: Action, attr: string, list: unknown[] | undefined): string[] {
  const out: string[] = [];
  for (const item of list ?? []) {
    if (item && typeof item === 'object') {
      for (const k of Object.keys(item)) out.push(`rule:${action}:${attr}:${k}`);
    }
  }
  return out;
}

function listTerm(action: Action, attr: string, list: unknown[], pass: boolean): Term {
  const subs = subTerms(action, attr, list);
  const rule = `rule:${action}:${attr}`;
  return [subs.length ? `(${rule} and (${subs.join(' and ')}))` : rule, pass];
}

function terms(action: Action, input: PortInput, who: Who): Term[] {
  const { admin, netOwner, shared } = who;
  const owner = admin || netOwner;
  const create = action === 'create_port';
  const out: Term[] = [];
  const t = (attr: string, pass: boolean) => out.push([`rule:${action}:${attr}`, pass]);
  if (input.mac_address !== undefined) t('mac_address', create ? owner : admin);
  if (input.fixed_ips !== undefined) {
    const anyIp = input.fixed_ips.some((f) => f.ip_address !== undefined);
    const pass = owner || (create && shared && !anyIp);
    out.push(listTerm(action, 'fixed_ips', input.fixed_ips, pass));
  }
  if (input.device_owner !== undefined && (!create || input.device_owner !== '')) {
    t('device_owner', owner || !input.device_owner.startsWith('network:'));
  }
  if (input.port_security_enabled !== undefined) t('port_security_enabled', owner);
  if (input.binding_host_id !== undefined) t('binding:host_id', admin);
  if (input.binding_profile !== undefined) t('binding:profile', admin);
  if (input.binding_vnic_type !== undefined && (!create || input.binding_vnic_type !== 'normal')) {
    t('binding:vnic_type', true);
  }
  if (input.allowed_address_pairs !== undefined) {
    out.push(listTerm(action, 'allowed_address_pairs', input.allowed_address_pairs, owner));
  }
  return out;
}

/** PolicyNotAuthorized (403) unless the caller may set every attribute the request sets. */
export function enforcePortPolicy(
  ctx: RequestContext,
  action: Action,
  input: PortInput,
  network: { project_id: string; shared: number },
  portProject: string,
): void {
  const who: Who = {
    admin: ctx.isAdmin,
    netOwner: network.project_id === ctx.projectId,
    shared: network.shared === 1,
    portOwner: portProject === ctx.projectId,
  };
  const all = terms(action, input, who);
  const allowed =
    (who.admin || action === 'create_port' || who.portOwner) && all.every((x) => x[1]);
  if (allowed) return;
  let rule = `rule:${action}`;
  for (const [term] of all) rule = `(${rule} and ${term})`;
  throw new NeutronFault(403, 'PolicyNotAuthorized', `${rule} is disallowed by policy`);
}
