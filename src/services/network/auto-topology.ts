import type { RequestContext } from '../../context.js';
import type { Db } from '../../store/db.js';
import type { SubnetPoolRow } from '../../store/network-schema.js';
import { conflict, NeutronFault } from './errors.js';
import type { Networks } from './networks.js';
import type { Routers } from './routers.js';
import { badResourceRequest } from './service-ports.js';
import type { Subnets } from './subnets.js';

/** What GET /v2.0/auto-allocated-topology/{project_id} answers. */
export interface Topology {
  id: string;
  project_id: string;
}

function failure(reason: string): NeutronFault {
  return conflict('AutoAllocationFailure', `Deployment error: ${reason}.`);
}

const ignoreNotFound = (err: unknown) => {
  if (!(err instanceof NeutronFault && err.status === 404)) throw err;
};

/**
 * Get-me-a-network (neutron/services/auto_allocate/db.py): on a project's first request, a
 * network with one subnet per default subnet pool, and a router from the default external
 * network to them, all the project's. It is built through the aggregates' own methods, so their
 * policy, quotas and addresses apply; a failure removes what was built. One topology per project
 * is kept by the table's primary key: of two racing first requests, the loser removes its own
 * and answers with the winner's network.
 */
export class AutoTopology {
  /** Builds in flight per project, so concurrent requests of one process share one build. */
  private readonly building = new Map<string, Promise<string>>();

  constructor(
    private readonly db: Db,
    private readonly networks: Networks,
    private readonly subnets: Subnets,
    private readonly routers: Routers,
  ) {}

  /** `None` is the caller's project; another project's topology is for admins. */
  private projectOf(ctx: RequestContext, requested: string): string {
    const project = requested === 'None' ? (ctx.projectId ?? '') : requested;
    if (!ctx.isAdmin && project !== ctx.projectId) {
      throw new NeutronFault(403, 'NotAuthorized', 'Not authorized.');
    }
    return project;
  }

  async get(ctx: RequestContext, requested: string, fields: string[] = []): Promise<Topology> {
    const project = this.projectOf(ctx, requested);
    if (fields.includes('dry-run')) {
      await this.defaultExternalNetwork();
      if ((await this.defaultPools(project)).length === 0) {
        throw failure('No default subnetpools defined');
      }
      return { id: 'dry-run=pass', project_id: project };
    }
    if (fields.length > 0) throw badResourceRequest('auto_allocate', 'Unrecognized field');
    const existing = await this.saved(project);
    if (existing) return { id: existing.network_id, project_id: project };
    let build = this.building.get(project);
    if (!build) {
      build = this.build(ctx, project).finally(() => this.building.delete(project));
      this.building.set(project, build);
    }
    return { id: await build, project_id: project };
  }

  /** Removes the project's topology: interfaces, router, subnets and network. Absent is fine. */
  async delete(ctx: RequestContext, requested: string): Promise<void> {
    const project = this.projectOf(ctx, requested);
    const saved = await this.saved(project);
    if (!saved) return;
    const subnets = await this.db
      .selectFrom('subnets')
      .select('id')
      .where('network_id', '=', saved.network_id)
      .execute();
    await this.cleanup(ctx, saved.network_id, saved.router_id, subnets);
    await this.db
      .deleteFrom('auto_allocated_topologies')
      .where('project_id', '=', project)
      .execute();
  }

  private saved(project: string) {
    return this.db
      .selectFrom('auto_allocated_topologies')
      .selectAll()
      .where('project_id', '=', project)
      .executeTakeFirst();
  }

  private async defaultExternalNetwork(): Promise<string> {
    const row = await this.db
      .selectFrom('networks')
      .select('id')
      .where('external', '=', 1)
      .where('is_default', '=', 1)
      .orderBy('created_at')
      .executeTakeFirst();
    if (!row) throw failure('No default router:external network');
    return row.id;
  }

  /** The default subnet pools (IPv4, then IPv6) the project may allocate from. */
  private async defaultPools(project: string): Promise<SubnetPoolRow[]> {
    const pools: SubnetPoolRow[] = [];
    for (const version of [4, 6]) {
      const pool = await this.db
        .selectFrom('subnetpools')
        .selectAll()
        .where('is_default', '=', 1)
        .where('ip_version', '=', version)
        .where((eb) => eb.or([eb('shared', '=', 1), eb('project_id', '=', project)]))
        .orderBy('created_at')
        .executeTakeFirst();
      if (pool) pools.push(pool);
    }
    return pools;
  }

  private async build(ctx: RequestContext, project: string): Promise<string> {
    const external = await this.defaultExternalNetwork();
    const network = await this.networks.create(ctx, project, {
      name: 'auto_allocated_network',
      admin_state_up: false,
      shared: false,
    });
    const subnets: { id: string }[] = [];
    let routerId: string | null = null;
    try {
      const pools = await this.defaultPools(project);
      if (pools.length === 0) throw failure('Unable to provide tenant private network');
      for (const pool of pools) {
        const made = await this.subnets
          .create(ctx, project, {
            network_id: network.id,
            name: `auto_allocated_subnet_v${pool.ip_version}`,
            ip_version: pool.ip_version as 4 | 6,
            subnetpool_id: pool.id,
          })
          .catch((err: unknown) => {
            if (err instanceof NeutronFault && (err.status === 400 || err.status === 404)) {
              throw failure('Unable to provide tenant private network');
            }
            throw err;
          });
        subnets.push(made);
      }
      const router = await this.routers.create(ctx, project, {
        name: 'auto_allocated_router',
        external_gateway_info: { network_id: external },
        admin_state_up: true,
      });
      routerId = router.id;
      for (const s of subnets) {
        await this.routers.addInterface(ctx, router.id, { subnet_id: s.id }).catch((err) => {
          if (err instanceof NeutronFault && err.status === 400) {
            throw failure('Unable to provide external connectivity');
          }
          throw err;
        });
      }
    } catch (err) {
      await this.cleanup(ctx, network.id, routerId, subnets);
      throw err;
    }
    const saved = await this.db
      .insertInto('auto_allocated_topologies')
      .values({ project_id: project, network_id: network.id, router_id: routerId })
      .onConflict((oc) => oc.column('project_id').doNothing())
      .executeTakeFirst();
    if (Number(saved.numInsertedOrUpdatedRows ?? 0n) === 0) {
      await this.cleanup(ctx, network.id, routerId, subnets);
      return (await this.saved(project))!.network_id;
    }
    await this.networks.update(ctx, network.id, { admin_state_up: true });
    return network.id;
  }

  private async cleanup(
    ctx: RequestContext,
    networkId: string,
    routerId: string | null,
    subnets: { id: string }[],
  ): Promise<void> {
    if (routerId) {
      for (const s of subnets) {
        await this.routers
          .removeInterface(ctx, routerId, { subnet_id: s.id })
          .catch(ignoreNotFound);
      }
      await this.routers.delete(ctx, routerId).catch(ignoreNotFound);
    }
    await this.networks.delete(ctx, networkId).catch(ignoreNotFound);
  }
}
