import { pyStr } from '../../../../http/pyrepr.js';
import { NeutronFault } from '../../../network/errors.js';
import { formatAddress, formatCidr, parseAddress, parseCidr } from '../../../network/ip.js';
import { ipAddress } from '../../../network/routes/subnets.attributes.js';
import { HeatFault } from '../../errors.js';
import type { ResourceContext } from '../types.js';
import { findId, type Findable } from './common.js';
import { dnsDomain, dnsName, relativeDnsName } from './dns-constraints.js';

/** A custom constraint: null when the value passes, else the message Heat gives for it. */
export type ConstraintCheck = (
  rc: Pick<ResourceContext, 'ctx' | 'services'>,
  value: unknown,
) => Promise<string | null>;

/** NeutronConstraint: find_resourceid_by_name_or_id, whose failure text is the message. */
function neutronLookup(entity: Findable): ConstraintCheck {
  return async (rc, value) => {
    try {
      await findId(rc, entity, value);
      return null;
    } catch (err) {
      if (err instanceof NeutronFault || err instanceof HeatFault) return err.message;
      throw err;
    }
  };
}

/** A constraint on an extension this Neutron does not offer: EntityNotFound for it. */
function missingExtension(alias: string): ConstraintCheck {
  return (rc) => {
    const served = rc.services.network.extensions.list().some((e) => e.alias === alias);
    // Neither QoS policies nor address scopes are served, so an offered extension means
    // nothing to look up in; keep the extension's text either way.
    return Promise.resolve(served ? null : `The neutron extension (${alias}) could not be found.`);
  };
}

/** neutron-lib validate_subnet (3.1): a CIDR whose IPv4 text is netaddr's own. */
export function subnetReason(text: string): string | null {
  const c = parseCidr(text);
  const single = c ? null : parseAddress(text);
  if (!c && !single) return `'${text}' is not a valid IP subnet`;
  if (single) {
    const cidr = `${formatAddress(single)}/${single.version === 4 ? 32 : 128}`;
    return `'${text}' isn't a recognized IP subnet cidr, '${cidr}' is recommended`;
  }
  const addr = parseAddress(text.slice(0, text.indexOf('/')))!;
  if (c!.version === 4 && `${formatAddress(addr)}/${c!.prefixlen}` !== text) {
    return `'${text}' isn't a recognized IP subnet cidr, '${formatCidr(c!)}' is recommended`;
  }
  return null;
}

/** CIDRConstraint: netaddr must read it, then validate_subnet must accept it. */
function netCidr(value: unknown): string | null {
  const text = typeof value === 'string' ? value : null;
  if (text === null || (!parseCidr(text) && !parseAddress(text))) {
    return `Invalid net cidr invalid IPNetwork ${pyStr(value)} `;
  }
  return subnetReason(text);
}

/** IPCIDRConstraint: a CIDR when it has a slash, else an address. */
function ipOrCidr(value: unknown): string | null {
  if (typeof value !== 'string') return `${pyStr(value)} is not a valid IP or CIDR`;
  if (value.includes('/')) return subnetReason(value);
  return ipAddress(value) ?? null;
}

/** netaddr.valid_mac: the EUI-48 forms netaddr reads. */
const MAC_FORMS = [
  /^[0-9A-Fa-f]{1,2}(:[0-9A-Fa-f]{1,2}){5}$/,
  /^[0-9A-Fa-f]{1,2}(-[0-9A-Fa-f]{1,2}){5}$/,
  /^[0-9A-Fa-f]{1,4}(\.[0-9A-Fa-f]{1,4}){2}$/,
  /^[0-9A-Fa-f]{1,6}[:-][0-9A-Fa-f]{1,6}$/,
  /^[0-9A-Fa-f]{12}$/,
];

const sync =
  (check: (value: unknown) => string | null): ConstraintCheck =>
  (_rc, value) =>
    Promise.resolve(check(value));

/**
 * The custom constraints of heat `setup.cfg` for Neutron objects and network values, each
 * with the message Heat gives (the part after "Error validating value '<v>': ").
 */
export const NEUTRON_CONSTRAINTS = new Map<string, ConstraintCheck>([
  ['neutron.network', neutronLookup('network')],
  ['neutron.subnet', neutronLookup('subnet')],
  ['neutron.port', neutronLookup('port')],
  ['neutron.router', neutronLookup('router')],
  ['neutron.security_group', neutronLookup('security_group')],
  ['neutron.subnetpool', neutronLookup('subnetpool')],
  ['neutron.qos_policy', missingExtension('qos')],
  ['neutron.address_scope', missingExtension('address-scope')],
  [
    'ip_addr',
    sync((v) =>
      typeof v === 'string' && ipAddress(v) === undefined ? null : 'Invalid IP address',
    ),
  ],
  [
    'mac_addr',
    sync((v) =>
      typeof v === 'string' && MAC_FORMS.some((f) => f.test(v)) ? null : 'Invalid MAC address.',
    ),
  ],
  ['net_cidr', sync(netCidr)],
  ['ip_or_cidr', sync(ipOrCidr)],
  ['dns_name', sync(dnsName)],
  ['dns_domain', sync(dnsDomain)],
  ['rel_dns_name', sync(relativeDnsName)],
]);
