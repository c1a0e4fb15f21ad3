import { createHash } from 'node:crypto';
import { versionBelow, type Microversion } from '../../../http/microversion.js';
import { isoCinder } from '../../../util.js';
import type { InstanceAction, InstanceActionEvent } from '../instance-action-log.js';

/** Nova prints these datetimes with microseconds and no zone (`2018-04-25T01:26:29.000000`). */
const time = (t: string | null) => (t === null ? null : isoCinder(t));

/** The list's action at every microversion below 2.58; 2.58 adds updated_at. */
export function instanceActionView(a: InstanceAction, mv: Microversion): Record<string, unknown> {
  const view: Record<string, unknown> = {
    action: a.action,
    instance_uuid: a.server_id,
    request_id: a.request_id,
    user_id: a.user_id,
    project_id: a.project_id,
    start_time: time(a.start_time),
    message: a.message,
  };
  if (!versionBelow(mv, [2, 58])) view.updated_at = time(a.updated_at);
  return view;
}

/** nova/utils.py generate_hostid: sha224(project_id + host), "" without a host. */
function hostId(host: string | null, projectId: string): string {
  return host
    ? createHash('sha224')
        .update(projectId + host)
        .digest('hex')
    : '';
}

/**
 * An event: the traceback and (2.62) host for admins, hostId (2.62) for everyone, details
 * (2.84) for admins.
 */
export function instanceActionEventView(
  e: InstanceActionEvent,
  projectId: string,
  mv: Microversion,
  isAdmin: boolean,
): Record<string, unknown> {
  const view: Record<string, unknown> = {
    event: e.event,
    start_time: time(e.start_time),
    finish_time: time(e.finish_time),
    result: e.result,
  };
  if (isAdmin) view.traceback = e.traceback;
  if (isAdmin && !versionBelow(mv, [2, 62])) view.host = e.host;
  if (!versionBelow(mv, [2, 62])) view.hostId = hostId(e.host, projectId);
  if (isAdmin && !versionBelow(mv, [2, 84])) view.details = null;
  return view;
}
