import type { StackResourceRow, StackRow } from '../../../store/orchestration-schema.js';
import type { Props } from '../resources/types.js';
import { markStored } from './definition-cache.js';

export type StackAction =
  | 'INIT'
  | 'CREATE'
  | 'DELETE'
  | 'UPDATE'
  | 'ROLLBACK'
  | 'SUSPEND'
  | 'RESUME'
  | 'ADOPT'
  | 'SNAPSHOT'
  | 'CHECK'
  | 'RESTORE';
export type StackStatus = 'IN_PROGRESS' | 'FAILED' | 'COMPLETE';

/** A stack's definition: what a create or update was given. */
export interface StackDefinition {
  template: Record<string, unknown>;
  environment: Record<string, unknown>;
  files: Record<string, string>;
  parameters: Record<string, unknown>;
}

export interface Stack extends StackDefinition {
  id: string;
  name: string;
  projectId: string;
  userId: string;
  roles: string[];
  ownerId: string | null;
  nestedDepth: number;
  action: StackAction;
  status: StackStatus;
  statusReason: string;
  previous: StackDefinition | null;
  disableRollback: boolean;
  timeoutMins: number | null;
  tags: string[] | null;
  traversal: number;
  createdAt: string;
  updatedAt: string | null;
  deletedAt: string | null;
}

export interface StackResource {
  id: string;
  stackId: string;
  name: string;
  type: string;
  action: StackAction;
  status: StackStatus;
  statusReason: string;
  physicalId: string | null;
  properties: Props | null;
  metadata: unknown;
  data: Record<string, string>;
  replaces: string | null;
  current: boolean;
  createdAt: string;
  updatedAt: string | null;
}

/** A state change to record: the event row goes in the same transaction as the change. */
export interface Transition {
  action: StackAction;
  status: StackStatus;
  reason: string;
}

export function toStack(row: StackRow): Stack {
  return markStored(stackOf(row), row);
}

/**
 * The definition's JSON is parsed when first read: a client waiting on a stack polls it, and
 * most reads (stack show, list) never look at the template, which for a large stack costs more
 * to parse than the rest of the request.
 */
function stackOf(row: StackRow): Stack {
  const definition = lazy(() => ({
    template: JSON.parse(row.template) as Record<string, unknown>,
    environment: JSON.parse(row.environment) as Record<string, unknown>,
    files: JSON.parse(row.files) as Record<string, string>,
    parameters: JSON.parse(row.parameters) as Record<string, unknown>,
    previous: row.previous === null ? null : (JSON.parse(row.previous) as StackDefinition),
  }));
  return {
    id: row.id,
    name: row.name,
    projectId: row.project_id,
    userId: row.user_id,
    roles: JSON.parse(row.user_roles) as string[],
    ownerId: row.owner_id,
    nestedDepth: row.nested_depth,
    action: row.action as StackAction,
    status: row.status as StackStatus,
    statusReason: row.status_reason,
    get template(): Record<string, unknown> {
      return definition().template;
    },
    get environment(): Record<string, unknown> {
      return definition().environment;
    },
    get files(): Record<string, string> {
      return definition().files;
    },
    get parameters(): Record<string, unknown> {
      return definition().parameters;
    },
    get previous(): StackDefinition | null {
      return definition().previous;
    },
    disableRollback: row.disable_rollback === 1,
    timeoutMins: row.timeout_mins,
    tags: row.tags === null ? null : (JSON.parse(row.tags) as string[]),
    traversal: row.traversal,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    deletedAt: row.deleted_at,
  };
}

function lazy<T>(make: () => T): () => T {
  let value: { v: T } | null = null;
  return () => (value ??= { v: make() }).v;
}

export function toResource(row: StackResourceRow): StackResource {
  return {
    id: row.id,
    stackId: row.stack_id,
    name: row.name,
    type: row.type,
    action: row.action as StackAction,
    status: row.status as StackStatus,
    statusReason: row.status_reason,
    physicalId: row.physical_resource_id,
    properties: row.properties === null ? null : (JSON.parse(row.properties) as Props),
    metadata: row.metadata === null ? null : JSON.parse(row.metadata),
    data: JSON.parse(row.data) as Record<string, string>,
    replaces: row.replaces,
    current: row.current === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export interface NewStack extends StackDefinition {
  id: string;
  name: string;
  projectId: string;
  userId: string;
  roles: string[];
  ownerId: string | null;
  nestedDepth: number;
  disableRollback: boolean;
  timeoutMins: number | null;
  tags: string[] | null;
}
