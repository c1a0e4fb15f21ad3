import type { FastifyInstance } from 'fastify';
import type { OrchestrationService } from '../service.js';
import { bodyObject, environmentOf, filesOf, templateOf } from './create-body.js';
import { boolParam, single, type Query } from './params.js';

/** POST /validate: a template checked leniently (missing parameter values are fine). */
export function validateRoutes(app: FastifyInstance, heat: OrchestrationService): void {
  app.post('/validate', async (req) => {
    const q = req.query as Query;
    const showNested = boolParam('show_nested', single(q, 'show_nested'));
    const body = bodyObject(req.body);
    const template = templateOf(body);
    const files = filesOf(body);
    const environment = environmentOf(body, files);
    const given = body.parameters;
    return heat.validateTemplate(req.ctx, {
      template,
      environment,
      files,
      parameters:
        typeof given === 'object' && given !== null && !Array.isArray(given)
          ? (given as Record<string, unknown>)
          : {},
      showNested,
    });
  });
}
