import { boolFromString } from '../../../http/input.js';
import { isIPv4, isIPv6 } from 'node:net';
import { BadRequest } from '../../../errors.js';
import { pyRepr } from '../../../http/pyrepr.js';
import { invalidField } from '../errors.js';
import type { BdmRequest, NetworkRequest, NewServer } from '../server-model.js';

type Body = Record<string, unknown>;

/** A schema-checked boolean word as oslo reads it. */
export const boolish = (v: unknown): boolean => boolFromString(v) ?? false;
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const intOf = (v: unknown): number | null => {
  if (v === null || v === undefined || v === '') return null;
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isSafeInteger(n) ? n : null;
};

/** Nova's legacy mapping (`block_device_mapping`, what Heat sends) in the v2 form. */
function fromLegacy(m: Body, index: number): BdmRequest {
  const volumeId = str(m.volume_id);
  const snapshotId = str(m.snapshot_id);
  const device = str(m.device_name);
  const isRoot = device !== null && /^(\/dev\/)?[a-z]*da$/.test(device);
  return {
    sourceType: snapshotId !== null ? 'snapshot' : 'volume',
    destinationType: 'volume',
    uuid: snapshotId ?? volumeId,
    bootIndex: isRoot || index === 0 ? 0 : null,
    volumeSize: intOf(m.volume_size),
    deleteOnTermination:
      m.delete_on_termination === undefined ? false : boolish(m.delete_on_termination),
    deviceName: device,
    deviceType: null,
    diskBus: null,
    guestFormat: null,
    volumeType: null,
    tag: null,
  };
}

function fromV2(m: Body): BdmRequest {
  const source = (str(m.source_type) ?? 'volume') as BdmRequest['sourceType'];
  const dest = (str(m.destination_type) ??
    (source === 'image' ? 'local' : 'volume')) as BdmRequest['destinationType'];
  return {
    sourceType: source,
    destinationType: dest,
    uuid: str(m.uuid) ?? str(m.image_id) ?? str(m.volume_id) ?? str(m.snapshot_id),
    bootIndex: intOf(m.boot_index),
    volumeSize: intOf(m.volume_size),
    deleteOnTermination:
      m.delete_on_termination === undefined ? false : boolish(m.delete_on_termination),
    deviceName: str(m.device_name),
    deviceType: str(m.device_type),
    diskBus: str(m.disk_bus),
    guestFormat: str(m.guest_format),
    volumeType: str(m.volume_type),
    tag: str(m.tag),
  };
}

/** The create body (already through its schema) as the domain's input: Nova's controller checks. */
export function newServerOf(
  body: Body,
  hints: Body | undefined,
  has: { description: boolean; networksRequired: boolean },
): NewServer {
  const s = body;
  const min = intOf(s.min_count) ?? 1;
  const max = intOf(s.max_count) ?? min;
  if (min > max) throw new BadRequest('min_count must be <= max_count');
  if (s.block_device_mapping !== undefined && s.block_device_mapping_v2 !== undefined)
    throw new BadRequest(
      'Using different block_device_mapping syntaxes is not allowed in the same request.',
    );
  const bdms = Array.isArray(s.block_device_mapping_v2)
    ? (s.block_device_mapping_v2 as Body[]).map(fromV2)
    : Array.isArray(s.block_device_mapping)
      ? (s.block_device_mapping as Body[]).map(fromLegacy)
      : [];
  const imageRef = str(s.imageRef) ?? '';
  if (imageRef === '' && bdms.length === 0) throw new BadRequest('Missing imageRef attribute');
  let networks: NewServer['networks'];
  if (s.networks === 'auto' || s.networks === 'none') networks = s.networks;
  else if (Array.isArray(s.networks)) {
    const seen = new Set<string>();
    networks = (s.networks as Body[]).map((n): NetworkRequest => {
      const port = str(n.port);
      const uuid = str(n.uuid);
      const fixedIp = str(n.fixed_ip);
      if (port !== null) {
        if (seen.has(port))
          throw new BadRequest(
            `Port ID '${port}' was specified twice: you cannot attach a port multiple times.`,
          );
        seen.add(port);
        if (fixedIp !== null)
          throw new BadRequest(
            `Specified Fixed IP '${fixedIp}' cannot be used with port '${port}': the two cannot be specified together.`,
          );
        return { port, ...(str(n.tag) !== null ? { tag: str(n.tag)! } : {}) };
      }
      if (uuid === null) throw new BadRequest("Bad network format: missing 'uuid'");
      if (!has.networksRequired && !/^[0-9a-fA-F-]{32,36}$/.test(uuid))
        throw new BadRequest(`Bad networks format: network uuid is not in proper format (${uuid})`);
      return {
        uuid,
        ...(fixedIp !== null ? { fixedIp } : {}),
        ...(str(n.tag) !== null ? { tag: str(n.tag)! } : {}),
      };
    });
  }
  if (s.user_data !== undefined && !isBase64(String(s.user_data)))
    throw new BadRequest('User data needs to be valid base 64.');
  const group = hints && typeof hints.group === 'string' ? hints.group : null;
  return {
    name: String(s.name),
    flavorRef: String(s.flavorRef),
    imageRef,
    networks,
    keyName: str(s.key_name),
    securityGroups: Array.isArray(s.security_groups)
      ? (s.security_groups as Body[]).map((g) => String(g.name))
      : [],
    userData: str(s.user_data),
    metadata: (s.metadata as Record<string, string> | undefined) ?? {},
    availabilityZone: str(s.availability_zone),
    configDrive: s.config_drive === undefined ? false : boolish(s.config_drive),
    adminPass: str(s.adminPass),
    description: has.description
      ? s.description === undefined
        ? null
        : str(s.description)
      : undefined,
    tags: Array.isArray(s.tags) ? (s.tags as string[]) : [],
    minCount: min,
    maxCount: max,
    bdms,
    accessIPv4: accessIp('accessIPv4', s.accessIPv4),
    accessIPv6: accessIp('accessIPv6', s.accessIPv6),
    hostname: str(s.hostname),
    group,
    returnReservationId:
      s.return_reservation_id === undefined ? false : boolish(s.return_reservation_id),
  };
}

/**
 * accessIPv4/accessIPv6 (schema formats ipv4/ipv6), as Nova stores them: an IPv6 address in its
 * compact form (netaddr's str), so `0:0:0:0:0:babe:220.12.22.2` reads back `::babe:dc0c:1602`.
 */
export function accessIp(field: 'accessIPv4' | 'accessIPv6', value: unknown): string | null {
  if (value === undefined || value === null) return null;
  const text = str(value) ?? '';
  if (text === '') return '';
  const v6 = field === 'accessIPv6';
  if (!(v6 ? isIPv6(text) : isIPv4(text)))
    throw invalidField(field, value, `${pyRepr(value)} is not a '${v6 ? 'ipv6' : 'ipv4'}'`);
  return v6 ? new URL(`http://[${text}]`).hostname.slice(1, -1) : text;
}

function isBase64(text: string): boolean {
  const clean = text.replace(/\s/g, '');
  return clean.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(clean);
}
