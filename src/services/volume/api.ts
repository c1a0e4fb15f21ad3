import type { Db } from '../../store/db.js';
import type { RequestContext } from '../../context.js';
import type { TaskRunner } from '../../tasks/runner.js';
import type { ImageService } from '../image/service.js';
import { VolumeService } from './volumes.js';
import { SnapshotService } from './snapshots.js';
import { VolumeActions } from './actions.js';
import { MetadataService } from './metadata.js';
import type { Volume } from './model.js';
import type { Microversion } from '../../http/microversion.js';
import { volumeView } from './views/volume.view.js';

/** Everything the Cinder routes call, built in one place. */
export class VolumeApi {
  readonly volumes: VolumeService;
  readonly snapshots: SnapshotService;
  readonly actions: VolumeActions;
  readonly metadata: MetadataService;

  constructor(
    readonly db: Db,
    tasks: TaskRunner,
    images: ImageService,
    readonly baseUrl: () => string,
  ) {
    this.volumes = new VolumeService(db, tasks, images);
    this.snapshots = new SnapshotService(db, tasks, this.volumes);
    this.actions = new VolumeActions(db, tasks, this.volumes, images);
    this.metadata = new MetadataService(db, this.volumes, this.snapshots);
  }

  /** Renders volumes with their type names, looked up once per response. */
  async render(
    ctx: RequestContext,
    mv: Microversion,
    volumes: Volume[],
    extensions = true,
  ): Promise<Record<string, unknown>[]> {
    const types = await this.db.selectFrom('volume_types').select(['id', 'name']).execute();
    const names = new Map(types.map((t) => [t.id, t.name]));
    return volumes.map((v) =>
      volumeView(
        v,
        ctx,
        mv,
        this.baseUrl(),
        names.get(v.row.volume_type_id) ?? '',
        v.row.volume_type_id,
        extensions,
      ),
    );
  }
}
