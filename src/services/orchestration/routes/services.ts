import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { FastifyInstance } from 'fastify';
import { HeatFault } from '../errors.js';

/** oslo's datetime serialization: microseconds, no zone. */
function rawTime(d: Date): string {
  return d.toISOString().replace('Z', '000');
}

const STARTED = new Date();
const ENGINE_ID = randomUUID();

/** GET /services (admin only): the one engine, in-process, always up. */
export function serviceRoutes(app: FastifyInstance): void {
  app.get('/services', async (req) => {
    if (!req.ctx.isAdmin) {
      throw new HeatFault('HTTPForbidden', 'Access was denied to this resource.', 403);
    }
    const host = os.hostname();
    return {
      services: [
        {
          id: ENGINE_ID,
          host,
          hostname: host,
          binary: 'heat-engine',
          topic: 'engine',
          engine_id: ENGINE_ID,
          report_interval: 60,
          created_at: rawTime(STARTED),
          updated_at: rawTime(new Date()),
          deleted_at: null,
          status: 'up',
        },
      ],
    };
  });
}
