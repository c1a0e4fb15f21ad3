import type { RequestContext } from '../../context.js';
import type { Db } from '../../store/db.js';
import { BadRequest, NotFound } from '../../errors.js';
import { Flavors, type Flavor, type FlavorListQuery, type NewFlavor } from './flavors.js';
import { KeyPairs, type KeyPair, type KeyPairPage, type NewKeyPair } from './keypairs.js';
import { ComputeQuotas, type QuotaDetail, type QuotaSet } from './quotas.js';
import { denied, requireAdmin, requireUserContext } from './policy.js';
import { ServerRows } from './server-rows.js';
import { Servers } from './servers.js';
import { ServerInterfaces } from './server-interfaces.js';
import { ServerVolumes } from './server-volume-attach.js';
import { ImageProxy } from './image-proxy.js';
import type { ServerWorkDeps } from './server-work.js';
import { registerServerWorkers } from './workers.js';
import { Hosts } from './hosts.js';
import { InstanceActionLog } from './instance-action-log.js';
import { ServerGroups } from './server-groups.js';
import { ServerMetadata, type FindServer } from './server-metadata.js';
import { ServerSecurityGroups } from './server-security-groups.js';
import { ServerTags } from './server-tags.js';
import { isoNow } from '../../util.js';

export type { Flavor, FlavorListQuery, NewFlavor } from './flavors.js';
export type { KeyPair, KeyPairPage, NewKeyPair } from './keypairs.js';
export type { QuotaDetail, QuotaResource, QuotaSet } from './quotas.js';

/** What Nova asks Keystone: whether a project exists (throws NotFound when it does not). */
export interface ProjectLookup {
  getProject(id: string): Promise<unknown>;
}

/** What servers need beyond Nova's own tables: the other services and the compute host. */
export type ServerDeps = Omit<ServerWorkDeps, 'db' | 'rows'>;

/**
 * Nova so far, behind one boundary: flavors (with extra specs and access lists), key pairs,
 * quotas and limits. Every method takes the caller's context and typed input and owns Nova's
 * policy for it (nova/policies, defaults as of Zed); routes parse and render, nothing else.
 */
export class ComputeService {
  private readonly flavors: Flavors;
  private readonly keypairs: KeyPairs;
  private readonly quotas: ComputeQuotas;
  /** Servers and everything done to them. */
  readonly servers: Servers;
  /** os-volume_attachments and os-interface of a server. */
  readonly serverVolumes: ServerVolumes;
  readonly serverInterfaces: ServerInterfaces;
  /** Nova's image proxy (/images up to 2.35): Glance's images through ImageService. */
  readonly images: ImageProxy;
  /** /servers/{id}/metadata. */
  readonly serverMetadata: ServerMetadata;
  /** /servers/{id}/tags (2.26+). */
  readonly serverTags: ServerTags;
  /** /os-server-groups. */
  readonly serverGroups: ServerGroups;
  /** /servers/{id}/os-instance-actions. */
  readonly instanceActions: InstanceActionLog;
  /** os-security-groups (the proxy), a server's groups, add/removeSecurityGroup. */
  readonly securityGroups: ServerSecurityGroups;
  /** os-services, os-hypervisors, os-availability-zone. */
  readonly hosts: Hosts;

  constructor(
    db: Db,
    private readonly projects: ProjectLookup,
    deps: ServerDeps,
  ) {
    this.flavors = new Flavors(db);
    this.quotas = new ComputeQuotas(db);
    this.keypairs = new KeyPairs(db, this.quotas);
    const work: ServerWorkDeps = {
      ...deps,
      db,
      rows: new ServerRows(db, deps.network.computePorts),
    };
    registerServerWorkers(work);
    this.images = new ImageProxy(deps.images);
    this.servers = new Servers({
      ...work,
      flavors: this.flavors,
      keypairs: this.keypairs,
      quotas: this.quotas,
      availabilityZone: deps.host.availabilityZone,
    });
    const serverRow = this.servers.row.bind(this.servers);
    this.serverVolumes = new ServerVolumes(work, serverRow);
    this.serverInterfaces = new ServerInterfaces(work, serverRow);
    const find: FindServer = (ctx, id, ex) => this.servers.row(ctx, id, ex);
    this.serverMetadata = new ServerMetadata(db, this.quotas, find);
    this.serverTags = new ServerTags(db, find);
    this.serverGroups = new ServerGroups(db, this.quotas);
    this.instanceActions = new InstanceActionLog(db, find);
    this.securityGroups = new ServerSecurityGroups(deps.network, find);
    this.hosts = new Hosts(db, deps.host);
    this.db = db;
  }

  private readonly db: Db;

  // --- server password -----------------------------------------------------------------------

  /**
   * os-server-password: the encrypted password a guest posted to the metadata service (Nova's
   * system_metadata password_0..3), "" when none.
   */
  async serverPassword(ctx: RequestContext, id: string): Promise<string> {
    const row = await this.servers.row(ctx, id);
    const sys = JSON.parse(row.system_metadata || '{}') as Record<string, unknown>;
    return Object.keys(sys)
      .filter((k) => k.startsWith('password_'))
      .sort()
      .map((k) => (typeof sys[k] === 'string' ? sys[k] : ''))
      .join('');
  }

  /** DELETE os-server-password: clears it (the guest's password itself is unchanged). */
  async clearServerPassword(ctx: RequestContext, id: string): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      const row = await this.servers.row(ctx, id, tx);
      const sys = JSON.parse(row.system_metadata || '{}') as Record<string, unknown>;
      for (let i = 0; i < 4; i++) sys[`password_${i}`] = '';
      await tx
        .updateTable('servers')
        .set({ system_metadata: JSON.stringify(sys), updated_at: isoNow() })
        .where('id', '=', row.id)
        .execute();
    });
  }

  /** DevStack's flavors on a new cloud. */
  seed(): Promise<void> {
    return this.flavors.seed();
  }

  // --- flavors -------------------------------------------------------------------------------

  /** Members see public flavors and those shared with their project, whatever `isPublic` says. */
  listFlavors(ctx: RequestContext, q: FlavorListQuery): Promise<Flavor[]> {
    return this.flavors.list(ctx, ctx.isAdmin ? q : { ...q, isPublic: true });
  }

  getFlavor(ctx: RequestContext, id: string): Promise<Flavor> {
    return this.flavors.get(ctx, id);
  }

  createFlavor(ctx: RequestContext, input: NewFlavor): Promise<Flavor> {
    requireAdmin(ctx, 'os-flavor-manage:create');
    return this.flavors.create(input);
  }

  async updateFlavorDescription(
    ctx: RequestContext,
    id: string,
    description: string | null,
  ): Promise<Flavor> {
    requireAdmin(ctx, 'os-flavor-manage:update');
    await this.flavors.updateDescription(id, description);
    return this.flavors.get(ctx, id);
  }

  async deleteFlavor(ctx: RequestContext, id: string): Promise<void> {
    requireAdmin(ctx, 'os-flavor-manage:delete');
    await this.flavors.remove(id);
  }

  // --- flavor extra specs ----------------------------------------------------------------------

  /** Readable by whoever may see the flavor. */
  async flavorExtraSpecs(ctx: RequestContext, id: string): Promise<Record<string, string>> {
    return (await this.flavors.get(ctx, id)).extraSpecs;
  }

  async flavorExtraSpec(ctx: RequestContext, id: string, key: string): Promise<string> {
    await this.flavors.get(ctx, id);
    return this.flavors.extras.spec(id, key);
  }

  /** Adds or replaces extra specs (values already strings); `create` or `update` names the rule. */
  async setFlavorExtraSpecs(
    ctx: RequestContext,
    id: string,
    specs: ReadonlyMap<string, string>,
    rule: 'create' | 'update',
  ): Promise<void> {
    requireAdmin(ctx, `os-flavor-extra-specs:${rule}`);
    await this.flavors.extras.setSpecs(id, specs);
  }

  async unsetFlavorExtraSpec(ctx: RequestContext, id: string, key: string): Promise<void> {
    requireAdmin(ctx, 'os-flavor-extra-specs:delete');
    await this.flavors.extras.unsetSpec(id, key);
  }

  // --- flavor access -------------------------------------------------------------------------

  flavorAccess(ctx: RequestContext, id: string): Promise<string[]> {
    requireAdmin(ctx, 'os-flavor-access');
    return this.flavors.extras.access(id);
  }

  async addFlavorAccess(ctx: RequestContext, id: string, projectId: string): Promise<string[]> {
    requireAdmin(ctx, 'os-flavor-access:add_tenant_access');
    await this.flavors.extras.addAccess(id, projectId);
    return this.flavors.extras.access(id);
  }

  async removeFlavorAccess(ctx: RequestContext, id: string, projectId: string): Promise<string[]> {
    requireAdmin(ctx, 'os-flavor-access:remove_tenant_access');
    await this.flavors.extras.removeAccess(id, projectId);
    return this.flavors.extras.access(id);
  }

  // --- key pairs -----------------------------------------------------------------------------

  /**
   * Whose key pairs a request is about: the caller's, or (user_id, from 2.10) another user's
   * for an admin; Nova's rule is `context_is_admin or user_id:%(user_id)s`.
   */
  private owner(ctx: RequestContext, userId: string | undefined, action: string): string {
    const user = userId ?? ctx.userId;
    if (user !== ctx.userId && !ctx.isAdmin) throw denied(`os-keypairs:${action}`);
    return user;
  }

  /**
   * Creating one reaches Nova's quota tables, which a token scoped to no project cannot
   * (unless admin): 403 "Forbidden" as Nova's require_context answers.
   */
  createKeyPair(
    ctx: RequestContext,
    input: NewKeyPair & { userId?: string },
  ): Promise<{ keypair: KeyPair; privateKey?: string }> {
    const userId = this.owner(ctx, input.userId, 'create');
    const projectId = requireUserContext(ctx);
    return this.keypairs.create(userId, projectId, input);
  }

  listKeyPairs(
    ctx: RequestContext,
    userId: string | undefined,
    page: KeyPairPage,
  ): Promise<KeyPair[]> {
    return this.keypairs.list(this.owner(ctx, userId, 'index'), page);
  }

  getKeyPair(ctx: RequestContext, userId: string | undefined, name: string): Promise<KeyPair> {
    return this.keypairs.get(this.owner(ctx, userId, 'show'), name);
  }

  deleteKeyPair(ctx: RequestContext, userId: string | undefined, name: string): Promise<void> {
    return this.keypairs.remove(this.owner(ctx, userId, 'delete'), name);
  }

  // --- limits and quotas ---------------------------------------------------------------------

  /** The limits and usage of the caller's project, or (admins) of `tenantId`. */
  async limits(
    ctx: RequestContext,
    tenantId: string | undefined,
  ): Promise<{ limits: QuotaSet; used: QuotaSet }> {
    if (tenantId && tenantId !== ctx.projectId) requireAdmin(ctx, 'limits:other_project');
    const project = tenantId ?? requireUserContext(ctx);
    return { limits: await this.quotas.limits(project), used: await this.quotas.usage(project) };
  }

  /**
   * Nova's quota-set rules: a project's own members or an admin (reading), admins only
   * (writing); then Nova asks Keystone whether the project exists.
   */
  private async quotaProject(ctx: RequestContext, id: string, action: string): Promise<string> {
    if (!ctx.isAdmin && id !== ctx.projectId) throw denied(`os-quota-sets:${action}`);
    try {
      await this.projects.getProject(id);
    } catch (err) {
      if (err instanceof NotFound) throw new BadRequest(`Project ID ${id} is not a valid project.`);
      throw err;
    }
    return id;
  }

  async quotaSet(ctx: RequestContext, id: string, userId?: string): Promise<QuotaSet> {
    return this.quotas.limits(await this.quotaProject(ctx, id, 'show'), userId);
  }

  async quotaDetail(ctx: RequestContext, id: string, userId?: string): Promise<QuotaDetail> {
    return this.quotas.detail(await this.quotaProject(ctx, id, 'detail'), userId);
  }

  async quotaDefaults(ctx: RequestContext, id: string): Promise<QuotaSet> {
    await this.quotaProject(ctx, id, 'defaults');
    return this.quotas.classSet('default');
  }

  /** Sets limits (the schema of the request's microversion chose the resources). */
  async updateQuotaSet(
    ctx: RequestContext,
    id: string,
    userId: string | undefined,
    limits: Partial<QuotaSet>,
    force: boolean,
  ): Promise<QuotaSet> {
    requireAdmin(ctx, 'os-quota-sets:update');
    await this.quotas.update(await this.quotaProject(ctx, id, 'update'), userId, limits, force);
    return this.quotas.limits(id, userId);
  }

  async deleteQuotaSet(ctx: RequestContext, id: string, userId?: string): Promise<void> {
    requireAdmin(ctx, 'os-quota-sets:delete');
    await this.quotas.reset(await this.quotaProject(ctx, id, 'delete'), userId);
  }

  quotaClassSet(ctx: RequestContext, name: string): Promise<QuotaSet> {
    requireAdmin(ctx, 'os-quota-class-sets:show');
    return this.quotas.classSet(name);
  }

  async updateQuotaClassSet(
    ctx: RequestContext,
    name: string,
    limits: Partial<QuotaSet>,
  ): Promise<QuotaSet> {
    requireAdmin(ctx, 'os-quota-class-sets:update');
    await this.quotas.updateClass(name, limits);
    return this.quotas.classSet(name);
  }
}
