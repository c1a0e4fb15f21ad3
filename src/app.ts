import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Config } from './config.js';
import { openSqlite } from './store/db.js';
import { createHttpServer } from './http/server.js';
import { IdentityService } from './services/identity/service.js';
import { identityPlugin } from './services/identity/plugin.js';
import type { CatalogService } from './services/identity/catalog.js';
import { ImageFileStore } from './blocks/image-files.js';
import { ImageService } from './services/image/service.js';
import { imagePlugin } from './services/image/plugin.js';
import { LayerStore, SqlLayerIndex } from './blocks/layers.js';
import { TaskRunner } from './tasks/runner.js';
import { LayerOwners } from './blocks/layer-owners.js';
import { createDriver, QemuDriver } from './compute/index.js';
import { registerTinyImage } from './compute/qemu/tiny-image-glance.js';
import { systemContext } from './context.js';
import { serverLayerOwner } from './services/compute/workers.js';
import { guestPoweredOff } from './services/compute/server-work.js';
import { VolumeService } from './services/volume/service.js';
import { imageFilesInUse, registerVolumeWorkers } from './services/volume/workers.js';
import { volumePlugin } from './services/volume/plugin.js';
import { computePlugin } from './services/compute/plugin.js';
import { ComputeService } from './services/compute/service.js';
import { NetworkService } from './services/network/service.js';
import { networkPlugin } from './services/network/plugin.js';
import { createNetworkDefaults } from './services/network/bootstrap.js';
import { OrchestrationService } from './services/orchestration/service.js';
import { orchestrationPlugin } from './services/orchestration/plugin.js';
import {
  RESOURCE_TYPE_GROUPS,
  CONSTRAINT_GROUPS,
} from './services/orchestration/resources/index.js';

/** The services pocketstack implements, as they appear in the catalog. */
const SERVICES: CatalogService[] = [
  { type: 'identity', name: 'keystone', path: '/identity' },
  { type: 'image', name: 'glance', path: '/image' },
  { type: 'compute', name: 'nova', path: '/compute/v2.1' },
  { type: 'network', name: 'neutron', path: '/network' },
  // Tempest looks for volumev3; the SDK and OSC accept either.
  { type: 'volumev3', name: 'cinderv3', path: '/volume/v3/{project_id}' },
  { type: 'block-storage', name: 'cinder', path: '/volume/v3/{project_id}' },
  { type: 'orchestration', name: 'heat', path: '/orchestration/v1/{project_id}' },
];

export interface App {
  http: FastifyInstance;
  identity: IdentityService;
  images: ImageService;
  volumes: VolumeService;
  network: NetworkService;
  compute: ComputeService;
  orchestration: OrchestrationService;
  tasks: TaskRunner;
  serverTasks: TaskRunner;
  layers: LayerStore;
  /** Public base URL, e.g. http://127.0.0.1:8080; known for sure only after listen(). */
  baseUrl(): string;
  listen(): Promise<string>;
  close(): Promise<void>;
}

/** Composition root: config -> stores -> services -> HTTP. */
export async function createApp(config: Config): Promise<App> {
  fs.mkdirSync(config.dataDir, { recursive: true });
  const db = await openSqlite(path.join(config.dataDir, 'pocketstack.db'));
  let baseUrl = config.publicUrl ?? `http://${config.host}:${config.port}`;

  const identity = new IdentityService(db, {
    tokenTtlSeconds: config.tokenTtlSeconds,
    region: config.region,
    baseUrl: () => baseUrl,
    services: SERVICES,
  });
  await identity.bootstrap({ admin: config.adminPassword, demo: config.demoPassword });
  await identity.deleteExpiredTokens();

  const files = new ImageFileStore(path.join(config.dataDir, 'images'));
  const layers = new LayerStore(path.join(config.dataDir, 'layers'), {
    index: new SqlLayerIndex(db),
  });
  // An image file that a volume's layer chain reads, or that a volume create waiting in the task
  // queue will read, stays on disk after its image is deleted: two index lookups, no header read.
  const images = new ImageService(db, files, () => imageFilesInUse(db, layers));

  const http = createHttpServer({ logLevel: config.logLevel });
  const tasks = new TaskRunner(db, http.log, { concurrency: config.taskWorkers });
  const volumes = new VolumeService(db, tasks, images);
  await volumes.defaultType();
  // Layers belong to Cinder's volumes and snapshots and to Nova's root disks: a sweep asks both.
  const owners = new LayerOwners();
  owners.add({
    roots: () => volumes.repo.layerRoots(),
    rootedAmong: (ids) => volumes.repo.rootedAmong(ids),
  });
  owners.add(serverLayerOwner(db));
  const tmpDir = path.join(config.dataDir, 'tmp');
  const volumeWork = registerVolumeWorkers({
    db,
    repo: volumes.repo,
    layers,
    imageFiles: files,
    images,
    tasks,
    owners,
    tmpDir,
  });
  // Layers first: garbage layers must not keep image files alive through the image sweep.
  await volumeWork.recover();
  await images.recover();

  await http.register(identityPlugin, { prefix: '/identity', identity });
  await http.register(imagePlugin, { prefix: '/image', images, identity });
  await http.register(volumePlugin, { prefix: '/volume', service: volumes, identity });
  const network = new NetworkService(db);
  // DevStack's external network and demo's private network, on the first start only.
  await createNetworkDefaults(network, {
    external: config.externalNetwork,
    adminProjectId: (await identity.projectByName('admin', 'default')).id,
    demoProjectId: (await identity.projectByName('demo', 'default')).id,
    markerFile: path.join(config.dataDir, 'network-defaults.json'),
  });
  // Server work waits on volume creates: it runs in its own lane (see TaskRunner.lane).
  const serverTasks = new TaskRunner(db, http.log, { concurrency: config.taskWorkers });
  const driver = createDriver(config.compute.driver, {
    layers,
    qemu: {
      dataDir: config.dataDir,
      cacheDir: process.env.POCKETSTACK_GUEST_CACHE ?? path.join(config.dataDir, 'cache', 'guest'),
      log: (msg) => http.log.info(msg),
      onGuestExit: (id) =>
        void guestPoweredOff(db, id).then(
          (changed) => changed && http.log.info(`server ${id}: its guest powered off (SHUTOFF)`),
          () => undefined,
        ),
    },
  });
  if (driver instanceof QemuDriver) {
    // DevStack's cirros, ours: the tiny image in Glance on the first start with real guests.
    const admin = await identity.projectByName('admin', 'default');
    try {
      const id = await registerTinyImage(
        images,
        systemContext(admin.id, 'pocketstack'),
        await driver.tinyImage(),
        { dataDir: config.dataDir, tmpDir },
      );
      http.log.info(`tiny guest image ${id} in Glance`);
    } catch (err) {
      http.log.error(`tiny guest image not registered: ${(err as Error).message}`);
    }
  }
  const compute = new ComputeService(
    db,
    { getProject: (id) => identity.projectById(id) },
    {
      driver,
      layers,
      imageFiles: files,
      images,
      volumes,
      network,
      tasks: serverTasks,
      host: {
        name: os.hostname(),
        vcpus: config.compute.vcpus,
        ramMb: config.compute.ramMb,
        diskGb: config.compute.diskGb,
        availabilityZone: 'nova',
      },
      releaseLayers: (ids) => volumeWork.release(ids),
      tmpDir,
    },
  );
  await compute.seed();
  await compute.servers.recover();
  await http.register(computePlugin, { prefix: '/compute', compute, identity });
  await http.register(networkPlugin, { prefix: '/network', network, identity });
  // Heat calls the others through their domain objects, as the stack's owner.
  const orchestration = new OrchestrationService(
    db,
    { identity, images, volumes, network, compute },
    {
      region: config.region,
      types: RESOURCE_TYPE_GROUPS,
      constraints: CONSTRAINT_GROUPS,
      log: http.log,
    },
  );
  await orchestration.recover();
  await http.register(orchestrationPlugin, { prefix: '/orchestration', orchestration, identity });
  // Work that a crash interrupted resumes now.
  tasks.kick();
  serverTasks.kick();

  // Expired tokens are only garbage: a slow sweep is enough, and must not keep the process alive.
  const sweep = setInterval(
    () => void identity.deleteExpiredTokens().catch(() => undefined),
    600_000,
  );
  sweep.unref();

  return {
    http,
    identity,
    images,
    volumes,
    network,
    compute,
    orchestration,
    tasks,
    serverTasks,
    layers,
    baseUrl: () => baseUrl,
    async listen() {
      await http.listen({ host: config.host, port: config.port });
      const address = http.server.address();
      const port = typeof address === 'object' && address ? address.port : config.port;
      const host = config.host.includes(':') ? `[${config.host}]` : config.host;
      if (!config.publicUrl) baseUrl = `http://${host}:${port}`;
      return baseUrl;
    },
    async close() {
      clearInterval(sweep);
      await http.close();
      await orchestration.engine.shutdown();
      await serverTasks.idle();
      await tasks.idle();
      if (driver instanceof QemuDriver) await driver.close();
      await db.destroy();
    },
  };
}
