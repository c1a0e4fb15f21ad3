import type { RequestContext } from '../../../context.js';
import { isoCinder } from '../../../util.js';
import { AVAILABILITY_ZONE, BACKEND_HOST, type Volume } from '../types.js';

import { versionBelow, type Microversion } from '../../../http/microversion.js';

export const atLeast = (mv: Microversion, minor: number): boolean => !versionBelow(mv, [3, minor]);

function links(base: string, projectId: string, kind: string, id: string) {
  return [
    { href: `${base}/volume/v3/${projectId}/${kind}/${id}`, rel: 'self' },
    { href: `${base}/volume/${projectId}/${kind}/${id}`, rel: 'bookmark' },
  ];
}

/** GET /volumes: id, name and links only. */
export function volumeSummaryView(v: Volume, base: string): Record<string, unknown> {
  return {
    id: v.row.id,
    links: links(base, v.row.project_id, 'volumes', v.row.id),
    name: v.row.name,
  };
}

/**
 * The volume's `attachments`: the attached ones only (cinder/api/v3/views/volumes.py); the
 * host is shown to admins alone.
 */
function attachmentsView(v: Volume, ctx: RequestContext): Record<string, unknown>[] {
  return v.attachments
    .filter((a) => a.attach_status === 'attached')
    .map((a) => ({
      id: v.row.id,
      attachment_id: a.id,
      volume_id: v.row.id,
      server_id: a.instance_uuid,
      host_name: ctx.isAdmin ? a.attached_host : null,
      device: a.mountpoint,
      attached_at: a.attach_time ? isoCinder(a.attach_time) : null,
    }));
}

/**
 * The volume record at the request's microversion. At 3.0 Tempest's schema allows no extra key,
 * so every later field is added only from the version that introduced it.
 */
export function volumeView(
  v: Volume,
  ctx: RequestContext,
  mv: Microversion,
  base: string,
  extensions = true,
): Record<string, unknown> {
  const r = v.row;
  const view: Record<string, unknown> = {
    attachments: attachmentsView(v, ctx),
    availability_zone: r.availability_zone ?? AVAILABILITY_ZONE,
    bootable: r.bootable ? 'true' : 'false',
    consistencygroup_id: null,
    created_at: isoCinder(r.created_at),
    description: r.description,
    encrypted: false,
    id: r.id,
    links: links(base, r.project_id, 'volumes', r.id),
    metadata: v.metadata,
    migration_status: null,
    multiattach: false,
    name: r.name,
    replication_status: null,
    size: r.size,
    snapshot_id: r.snapshot_id,
    source_volid: r.source_volid,
    status: r.status,
    updated_at: r.updated_at ? isoCinder(r.updated_at) : null,
    user_id: r.user_id,
    volume_type: v.typeName,
  };
  if (extensions) view['os-vol-tenant-attr:tenant_id'] = r.project_id;
  if (extensions && Object.keys(v.imageMetadata).length > 0)
    view.volume_image_metadata = v.imageMetadata;
  if (extensions && ctx.isAdmin) {
    view['os-vol-host-attr:host'] = BACKEND_HOST;
    view['os-vol-mig-status-attr:migstat'] = null;
    view['os-vol-mig-status-attr:name_id'] = null;
  }
  if (atLeast(mv, 13)) view.group_id = null;
  if (atLeast(mv, 21)) view.provider_id = null;
  if (atLeast(mv, 48)) {
    view.shared_targets = false;
    view.service_uuid = null;
  }
  if (atLeast(mv, 61) && ctx.isAdmin) view.cluster_name = null;
  if (atLeast(mv, 63)) view.volume_type_id = r.volume_type_id;
  if (atLeast(mv, 64)) view.encryption_key_id = null;
  if (atLeast(mv, 65)) view.consumes_quota = true;
  return view;
}
