import type { FastifyInstance } from 'fastify';
import type { OrchestrationService } from '../service.js';
import { resourceTypeView, typeTemplate } from '../views/resource-type.view.js';
import { badRequest, boolParam, single, type Query } from './params.js';

/** GET /resource_types, /resource_types/{type} and /resource_types/{type}/template. */
export function resourceTypeRoutes(app: FastifyInstance, heat: OrchestrationService): void {
  app.get('/resource_types', async (req) => {
    const q = req.query as Query;
    const withDescription = boolParam('with_description', single(q, 'with_description'));
    const types = heat.listResourceTypes({
      name: single(q, 'name'),
      version: single(q, 'version'),
      supportStatus: single(q, 'support_status'),
    });
    return {
      resource_types: types.map((t) =>
        withDescription ? { resource_type: t.type, description: t.description } : t.type,
      ),
    };
  });

  app.get<{ Params: { type_name: string } }>('/resource_types/:type_name', async (req) => {
    const q = req.query as Query;
    const withDescription = boolParam('with_description', single(q, 'with_description'));
    return resourceTypeView(heat.resourceType(req.params.type_name), withDescription);
  });

  app.get<{ Params: { type_name: string } }>('/resource_types/:type_name/template', async (req) => {
    const kind = single(req.query as Query, 'template_type') ?? 'cfn';
    const lower = kind.toLowerCase();
    if (lower !== 'cfn' && lower !== 'hot') {
      throw badRequest(
        `Template type is not supported: Invalid template type "${kind}", valid types are: cfn, hot.`,
      );
    }
    return typeTemplate(heat.resourceType(req.params.type_name), lower);
  });
}
