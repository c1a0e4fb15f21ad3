import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ComputeService } from '../../service.js';

/** What an action handler gets: the request (ctx, microversion), the server id, the body. */
export interface ActionCall {
  req: FastifyRequest;
  reply: FastifyReply;
  compute: ComputeService;
  id: string;
  /** The whole body, `{"<action>": ...}`, for the action's schema. */
  body: unknown;
  /** Base URL of the image service, for createImage's Location header. */
  imageBase: string;
  /** The cloud's base URL, for server links (rebuild answers a server). */
  base: string;
}

/**
 * One server action (`POST /servers/{id}/action` with `{"<name>": ...}`): parses its body,
 * calls the service, answers (usually 202 with no body).
 */
export type ActionHandler = (call: ActionCall) => Promise<unknown>;
