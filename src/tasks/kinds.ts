import type { Db } from '../store/db.js';

/**
 * Every task kind and the payload it carries: `enqueue` and `register` are checked against it.
 * A new service adds its kinds here. Payloads are stored as JSON and read back after a restart,
 * possibly written by an older version: handlers still check what they read.
 */
export interface TaskPayloads {
  /** One of the sources, or none for an empty volume. */
  'volume.create': {
    snapshotId?: string;
    sourceVolumeId?: string;
    imageId?: string;
    imageFile?: string;
    imageFormat?: string;
  };
  'volume.delete': Record<string, never>;
  'volume.extend': { newSize: number };
  'volume.upload': { imageId: string; diskFormat: string; previousStatus?: string };
  'snapshot.create': Record<string, never>;
  'snapshot.delete': Record<string, never>;
  /**
   * Server work runs with the rights of the user who asked (`roles`), never the system's: the
   * ports and volumes it makes are that user's, as Nova makes them with the request's context.
   */
  'server.build': {
    roles: string[];
    nics: Array<{
      kind: 'network' | 'port' | 'auto';
      networkId?: string;
      portId?: string;
      fixedIp?: string;
      tag?: string;
    }>;
    securityGroups: string[];
  };
  'server.delete': { roles: string[] };
  'server.action': { roles: string[]; action: string; hard?: boolean };
  'server.snapshot': { roles: string[]; imageId: string };
  /**
   * shelve (imageId: the `<name>-shelved` image, null when volume-backed), shelveOffload,
   * unshelve, rebuild, resize, revertResize, createBackup (imageId, backupType, rotation),
   * changePassword, trigger_crash_dump.
   */
  'server.lifecycle': {
    roles: string[];
    action: string;
    imageId?: string | null;
    backupType?: string;
    rotation?: number;
  };
}

export type TaskKind = keyof TaskPayloads;

/** Where a task queues: tasks with one `key` run one at a time; projects take turns. */
export interface TaskScope {
  /** e.g. `volume:<id>`; a snapshot or a clone keys on the volume whose chain it changes. */
  key: string;
  projectId: string | null;
}

export interface TaskHandler<K extends TaskKind> {
  /**
   * The scope of a new task, read in the transaction that enqueues it. Without it a task is
   * serial on its target id and belongs to no project.
   */
  scope?(ex: Db, targetId: string, payload: TaskPayloads[K]): Promise<TaskScope>;
  /** Does the work. Must be idempotent: after a crash it runs again from the start. */
  run(targetId: string, payload: TaskPayloads[K]): Promise<void>;
  /** Settles the target to an error state when run() failed. */
  fail(targetId: string, payload: TaskPayloads[K], err: unknown): Promise<void>;
}

/** The payload argument of enqueue: optional where the kind carries nothing. */
export type PayloadArg<K extends TaskKind> =
  Record<string, never> extends TaskPayloads[K]
    ? [payload?: TaskPayloads[K]]
    : [payload: TaskPayloads[K]];
