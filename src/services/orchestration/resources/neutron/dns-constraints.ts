import { pyStr } from '../../../../http/pyrepr.js';

/** heat/common/netutils.py: label and name bounds. */
const LABEL = /^[a-z0-9-]{1,63}$/;
const FQDN_MAX_LEN = 255;

/** validate_dns_format: the reason a DNS name is refused, or null. */
function dnsFormat(data: string): string | null {
  if (!data) return null;
  const trimmed = data.endsWith('.') ? data.slice(0, -1) : data;
  if (trimmed.length > FQDN_MAX_LEN) {
    return `'${trimmed}' exceeds the ${FQDN_MAX_LEN} character FQDN limit`;
  }
  const names = trimmed.split('.');
  for (const name of names) {
    if (!name) return 'Encountered an empty component.';
    if (name.startsWith('-') || name.endsWith('-')) {
      return `Name '${name}' must not start or end with a hyphen.`;
    }
    // re.match anchors only at the start; the pattern's $ also matches before a final newline.
    if (!LABEL.test(name.replace(/\n$/, ''))) {
      return `Name '${name}' must be 1-63 characters long, each of which can only be alphanumeric or a hyphen.`;
    }
  }
  const tld = names[names.length - 1]!;
  if (data.endsWith('.') && names.length > 1 && /^[0-9]+$/.test(tld)) {
    return `TLD '${tld}' must not be all numeric.`;
  }
  return null;
}

/** DNSNameConstraint. */
export function dnsName(value: unknown): string | null {
  const text = typeof value === 'string' ? value : pyStr(value);
  const reason = dnsFormat(text);
  return reason === null ? null : `'${text}' not in valid format. Reason: ${reason}`;
}

/** RelativeDNSNameConstraint: empty passes; no trailing dot; room left for a domain. */
export function relativeDnsName(value: unknown): string | null {
  if (!value) return null;
  const text = typeof value === 'string' ? value : pyStr(value);
  if (text.endsWith('.')) return `'${text}' is a FQDN. It should be a relative domain name.`;
  if (text.length > FQDN_MAX_LEN - 3) {
    return `'${text}' contains '${text.length}' characters. Adding a domain name will cause it to exceed the maximum length of a FQDN of '${FQDN_MAX_LEN}'.`;
  }
  return dnsName(text);
}

/** DNSDomainConstraint: empty passes; a valid name that ends with a dot. */
export function dnsDomain(value: unknown): string | null {
  if (!value) return null;
  const text = typeof value === 'string' ? value : pyStr(value);
  const bad = dnsName(text);
  if (bad !== null) return bad;
  return text.endsWith('.') ? null : `'${text}' must end with '.'.`;
}
