import type { FastifyInstance } from 'fastify';
import { BadRequest, Forbidden, NotFound } from '../../../errors.js';
import { first, type Query } from '../../../http/query.js';
import type { VolumeApi } from '../api.js';
import { DEFAULT_QUOTAS, type QuotaSet, type Usage } from '../quotas.js';

type Params = { project_id: string; id: string; target: string };

function typeView(t: {
  id: string;
  name: string;
  description: string | null;
  is_public: number;
  extra_specs: string;
}) {
  return {
    id: t.id,
    name: t.name,
    description: t.description,
    is_public: t.is_public === 1,
    extra_specs: JSON.parse(t.extra_specs) as Record<string, string>,
    qos_specs_id: null,
    'os-volume-type-access:is_public': t.is_public === 1,
  };
}

function quotaView(projectId: string, limits: QuotaSet, usage?: Usage): Record<string, unknown> {
  const used: Record<string, number> = {
    volumes: usage?.volumes ?? 0,
    snapshots: usage?.snapshots ?? 0,
    gigabytes: usage?.gigabytes ?? 0,
  };
  const set: Record<string, unknown> = { id: projectId };
  for (const key of Object.keys(DEFAULT_QUOTAS) as Array<keyof QuotaSet>) {
    set[key] = usage
      ? { limit: limits[key], in_use: used[key] ?? 0, reserved: 0, allocated: 0 }
      : limits[key];
  }
  // Per-type quotas of the one default type, unlimited as in Cinder.
  for (const key of ['volumes', 'snapshots', 'gigabytes']) {
    set[`${key}___DEFAULT__`] = usage
      ? { limit: -1, in_use: used[key] ?? 0, reserved: 0, allocated: 0 }
      : -1;
  }
  return set;
}

/** Volume types, absolute limits and quota sets. */
export function miscRoutes(app: FastifyInstance, api: VolumeApi): void {
  app.get('/types', async () => {
    await api.volumes.defaultType();
    const types = await api.db.selectFrom('volume_types').selectAll().orderBy('name').execute();
    return { volume_types: types.map(typeView) };
  });

  app.get<{ Params: Params }>('/types/:id', async (req) => {
    const id = req.params.id === 'default' ? (await api.volumes.defaultType()).id : req.params.id;
    const t = await api.db
      .selectFrom('volume_types')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    if (!t) throw new NotFound(`Volume type ${req.params.id} could not be found.`);
    return { volume_type: typeView(t) };
  });

  app.get('/limits', async (req) => {
    const project = req.ctx.projectId ?? '';
    const limits = await api.volumes.quotas.limits(project);
    const used = await api.volumes.quotas.usage(project);
    return {
      limits: {
        rate: [],
        absolute: {
          totalSnapshotsUsed: used.snapshots,
          maxTotalBackups: limits.backups,
          maxTotalVolumeGigabytes: limits.gigabytes,
          maxTotalSnapshots: limits.snapshots,
          maxTotalBackupGigabytes: limits.backup_gigabytes,
          totalBackupGigabytesUsed: 0,
          maxTotalVolumes: limits.volumes,
          totalVolumesUsed: used.volumes,
          totalBackupsUsed: 0,
          totalGigabytesUsed: used.gigabytes,
        },
      },
    };
  });

  // A user reads its own project's quotas; admins read and set anyone's.
  app.get<{ Params: Params }>('/os-quota-sets/:target', async (req) => {
    const target = req.params.target;
    if (!req.ctx.isAdmin && target !== req.ctx.projectId) {
      throw new Forbidden("Policy doesn't allow volume_extension:quotas:show to be performed.");
    }
    const usage = ['true', 'True', '1'].includes(first(req.query as Query, 'usage') ?? '');
    const limits = await api.volumes.quotas.limits(target);
    return {
      quota_set: quotaView(
        target,
        limits,
        usage ? await api.volumes.quotas.usage(target) : undefined,
      ),
    };
  });

  app.get<{ Params: Params }>('/os-quota-sets/:target/defaults', async (req) => ({
    quota_set: quotaView(req.params.target, await api.volumes.quotas.classSet('default')),
  }));

  app.get<{ Params: Params }>('/os-quota-class-sets/:target', async (req) => {
    if (!req.ctx.isAdmin)
      throw new Forbidden("Policy doesn't allow volume_extension:quota_classes to be performed.");
    return {
      quota_class_set: quotaView(
        req.params.target,
        await api.volumes.quotas.classSet(req.params.target),
      ),
    };
  });

  app.put<{ Params: Params }>('/os-quota-class-sets/:target', async (req) => {
    if (!req.ctx.isAdmin)
      throw new Forbidden("Policy doesn't allow volume_extension:quota_classes to be performed.");
    const body = (req.body as Record<string, unknown> | undefined)?.quota_class_set;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new BadRequest("Missing required element 'quota_class_set' in request body.");
    }
    await api.volumes.quotas.setClass(req.params.target, body as Record<string, unknown>);
    return {
      quota_class_set: quotaView(
        req.params.target,
        await api.volumes.quotas.classSet(req.params.target),
      ),
    };
  });

  app.put<{ Params: Params }>('/os-quota-sets/:target', async (req) => {
    if (!req.ctx.isAdmin)
      throw new Forbidden("Policy doesn't allow volume_extension:quotas:update to be performed.");
    const body = ((req.body as Record<string, unknown> | undefined)?.quota_set ?? {}) as Record<
      string,
      unknown
    >;
    await api.volumes.quotas.set(req.params.target, body);
    const limits = await api.volumes.quotas.limits(req.params.target);
    const { id: _id, ...set } = quotaView(req.params.target, limits);
    return { quota_set: set };
  });

  app.delete<{ Params: Params }>('/os-quota-sets/:target', async (req, reply) => {
    if (!req.ctx.isAdmin)
      throw new Forbidden("Policy doesn't allow volume_extension:quotas:delete to be performed.");
    await api.db.deleteFrom('quotas').where('project_id', '=', req.params.target).execute();
    return reply.code(200).send();
  });
}
