import type { Db } from '../../store/db.js';
import type { VolumeTypeRow } from '../../store/schema.js';
import { Forbidden } from '../../errors.js';
import type { RequestContext } from '../../context.js';
import type { TaskRunner } from '../../tasks/runner.js';
import type { ImageService } from '../image/service.js';
import { VolumeRepo } from './volume.repo.js';
import { Volumes } from './volumes.js';
import { VolumeCreator } from './volume-create.js';
import { VolumeTypes } from './volume-types.js';
import { Snapshots } from './snapshots.js';
import { VolumeActions } from './actions.js';
import { Attachments } from './attachments.js';
import { AttachActions } from './attach-actions.js';
import { MetadataStore, type MetaOwner } from './metadata.js';
import { Quotas, type QuotaSet, type Usage } from './quotas.js';
import type {
  Attachment,
  AttachmentCreate,
  AttachmentFilters,
  AttachInput,
  ListScope,
  Metadata,
  Paging,
  Snapshot,
  SnapshotCreate,
  SnapshotFilters,
  SnapshotUpdate,
  UploadImage,
  Volume,
  VolumeCreate,
  VolumeFilters,
  VolumeUpdate,
} from './types.js';

function policy(rule: string): Forbidden {
  return new Forbidden(`Policy doesn't allow ${rule} to be performed.`);
}

/**
 * Cinder: the one way in, for its routes and for other services (Nova attaches through it).
 * Every method takes the caller's context and typed input, and owns the policy checks, the
 * state machine (states.ts) and the tasks it starts.
 */
export class VolumeService {
  /** The volume workers' reads and writes of rows (they live in this service's folder). */
  readonly repo: VolumeRepo;
  private readonly volumes: Volumes;
  private readonly creator: VolumeCreator;
  private readonly types: VolumeTypes;
  private readonly snapshots: Snapshots;
  private readonly actions: VolumeActions;
  private readonly attachments: Attachments;
  private readonly attachActions: AttachActions;
  private readonly metadata: MetadataStore;
  private readonly quotas: Quotas;

  constructor(db: Db, tasks: TaskRunner, images: ImageService) {
    this.repo = new VolumeRepo(db);
    this.quotas = new Quotas(db);
    this.types = new VolumeTypes(db);
    this.volumes = new Volumes(db, this.repo, tasks);
    this.creator = new VolumeCreator(
      db,
      this.repo,
      tasks,
      images,
      this.volumes,
      this.types,
      this.quotas,
    );
    this.snapshots = new Snapshots(db, this.repo, tasks, this.volumes, this.quotas);
    this.actions = new VolumeActions(db, tasks, this.volumes, images, this.quotas);
    this.attachments = new Attachments(db, this.volumes);
    this.attachActions = new AttachActions(db, this.volumes);
    this.metadata = new MetadataStore(db, this.repo, this.volumes, this.snapshots);
  }

  // Volumes.
  getVolume(ctx: RequestContext, id: string): Promise<Volume> {
    return this.volumes.get(ctx, id);
  }
  listVolumes(ctx: RequestContext, scope: ListScope, filters: VolumeFilters, paging: Paging) {
    return this.volumes.list(ctx, scope, filters, paging);
  }
  volumeSummary(ctx: RequestContext) {
    return this.volumes.summary(ctx);
  }
  createVolume(ctx: RequestContext, input: VolumeCreate): Promise<Volume> {
    return this.creator.create(ctx, input);
  }
  updateVolume(ctx: RequestContext, id: string, input: VolumeUpdate): Promise<Volume> {
    return this.volumes.update(ctx, id, input);
  }
  deleteVolume(ctx: RequestContext, id: string, opts: { cascade: boolean; force: boolean }) {
    return this.volumes.delete(ctx, id, opts);
  }

  /**
   * The layer a hypervisor opens for a volume the caller may see: its writable head (null
   * while it has none). What Nova's connection info is to a libvirt host.
   */
  async volumeHead(ctx: RequestContext, id: string): Promise<string | null> {
    return (await this.volumes.get(ctx, id)).row.head_layer;
  }

  // Volume actions.
  extendVolume(ctx: RequestContext, id: string, newSize: number): Promise<void> {
    return this.actions.extend(ctx, id, newSize);
  }
  setBootable(ctx: RequestContext, id: string, bootable: boolean): Promise<void> {
    return this.actions.setBootable(ctx, id, bootable);
  }
  setReadonly(ctx: RequestContext, id: string, readonly: boolean): Promise<void> {
    return this.actions.setReadonly(ctx, id, readonly);
  }
  resetVolumeStatus(ctx: RequestContext, id: string, status: string | undefined) {
    return this.actions.resetStatus(ctx, id, status);
  }
  uploadToImage(ctx: RequestContext, id: string, input: UploadImage) {
    return this.actions.uploadImage(ctx, id, input);
  }

  // Attach and detach: the old actions, then the attachments API (3.27+).
  reserve(ctx: RequestContext, id: string): Promise<void> {
    return this.attachActions.reserve(ctx, id);
  }
  unreserve(ctx: RequestContext, id: string): Promise<void> {
    return this.attachActions.unreserve(ctx, id);
  }
  beginDetaching(ctx: RequestContext, id: string): Promise<void> {
    return this.attachActions.beginDetaching(ctx, id);
  }
  rollDetaching(ctx: RequestContext, id: string): Promise<void> {
    return this.attachActions.rollDetaching(ctx, id);
  }
  attach(ctx: RequestContext, id: string, input: AttachInput): Promise<Attachment> {
    return this.attachActions.attach(ctx, id, input);
  }
  detach(ctx: RequestContext, id: string, attachmentId: string | null): Promise<void> {
    return this.attachActions.detach(ctx, id, attachmentId);
  }
  createAttachment(ctx: RequestContext, input: AttachmentCreate): Promise<Attachment> {
    return this.attachments.create(ctx, input);
  }
  listAttachments(
    ctx: RequestContext,
    scope: ListScope,
    filters: AttachmentFilters,
    page: { limit: number; offset: number },
  ): Promise<Attachment[]> {
    return this.attachments.list(ctx, scope, filters, page);
  }
  getAttachment(ctx: RequestContext, id: string): Promise<Attachment> {
    return this.attachments.get(ctx, id);
  }
  updateAttachment(ctx: RequestContext, id: string, connector: Record<string, unknown>) {
    return this.attachments.update(ctx, id, connector);
  }
  completeAttachment(ctx: RequestContext, id: string): Promise<void> {
    return this.attachments.complete(ctx, id);
  }
  deleteAttachment(ctx: RequestContext, id: string): Promise<Attachment[]> {
    return this.attachments.delete(ctx, id);
  }

  // Snapshots.
  getSnapshot(ctx: RequestContext, id: string): Promise<Snapshot> {
    return this.snapshots.get(ctx, id);
  }
  listSnapshots(ctx: RequestContext, scope: ListScope, filters: SnapshotFilters, paging: Paging) {
    return this.snapshots.list(ctx, scope, filters, paging);
  }
  createSnapshot(ctx: RequestContext, input: SnapshotCreate): Promise<Snapshot> {
    return this.snapshots.create(ctx, input);
  }
  updateSnapshot(ctx: RequestContext, id: string, input: SnapshotUpdate): Promise<Snapshot> {
    return this.snapshots.update(ctx, id, input);
  }
  deleteSnapshot(ctx: RequestContext, id: string, force = false): Promise<void> {
    return this.snapshots.delete(ctx, id, force);
  }
  resetSnapshotStatus(ctx: RequestContext, id: string, status: string): Promise<void> {
    return this.snapshots.resetStatus(ctx, id, status);
  }

  // Metadata of volumes and snapshots.
  getMetadata(ctx: RequestContext, owner: MetaOwner, id: string): Promise<Metadata> {
    return this.metadata.get(ctx, owner, id);
  }
  setMetadata(
    ctx: RequestContext,
    owner: MetaOwner,
    id: string,
    given: Metadata,
    replace: boolean,
  ) {
    return this.metadata.set(ctx, owner, id, given, replace);
  }
  getMetadataKey(ctx: RequestContext, owner: MetaOwner, id: string, key: string) {
    return this.metadata.getKey(ctx, owner, id, key);
  }
  setMetadataKey(ctx: RequestContext, owner: MetaOwner, id: string, key: string, meta: Metadata) {
    return this.metadata.setKey(ctx, owner, id, key, meta);
  }
  deleteMetadataKey(ctx: RequestContext, owner: MetaOwner, id: string, key: string) {
    return this.metadata.deleteKey(ctx, owner, id, key);
  }

  // Volume types.
  defaultType(): Promise<VolumeTypeRow> {
    return this.types.defaultType();
  }
  listTypes(): Promise<VolumeTypeRow[]> {
    return this.types.list();
  }
  getType(id: string): Promise<VolumeTypeRow> {
    return this.types.get(id);
  }

  // Limits and quotas: a user reads its own project's; admins read and set anyone's.
  async absoluteLimits(ctx: RequestContext): Promise<{ limits: QuotaSet; usage: Usage }> {
    const project = ctx.projectId ?? '';
    return { limits: await this.quotas.limits(project), usage: await this.quotas.usage(project) };
  }
  async showQuotas(
    ctx: RequestContext,
    projectId: string,
    withUsage: boolean,
  ): Promise<{ limits: QuotaSet; usage?: Usage }> {
    if (!ctx.isAdmin && projectId !== ctx.projectId) throw policy('volume_extension:quotas:show');
    const limits = await this.quotas.limits(projectId);
    return withUsage ? { limits, usage: await this.quotas.usage(projectId) } : { limits };
  }
  quotaDefaults(): Promise<QuotaSet> {
    return this.quotas.classSet('default');
  }
  async updateQuotas(
    ctx: RequestContext,
    projectId: string,
    limits: Partial<QuotaSet>,
  ): Promise<QuotaSet> {
    if (!ctx.isAdmin) throw policy('volume_extension:quotas:update');
    await this.quotas.set(projectId, limits);
    return this.quotas.limits(projectId);
  }
  async resetQuotas(ctx: RequestContext, projectId: string): Promise<void> {
    if (!ctx.isAdmin) throw policy('volume_extension:quotas:delete');
    await this.quotas.reset(projectId);
  }
  async showQuotaClass(ctx: RequestContext, className: string): Promise<QuotaSet> {
    if (!ctx.isAdmin) throw policy('volume_extension:quota_classes');
    return this.quotas.classSet(className);
  }
  async updateQuotaClass(
    ctx: RequestContext,
    className: string,
    limits: Partial<QuotaSet>,
  ): Promise<QuotaSet> {
    if (!ctx.isAdmin) throw policy('volume_extension:quota_classes');
    await this.quotas.setClass(className, limits);
    return this.quotas.classSet(className);
  }
}
