import type { FastifyInstance } from 'fastify';
import { HeatFault } from '../errors.js';
import { Template, templateVersions, versionByName } from '../template/index.js';
import { boolParam, single, type Query } from './params.js';

/** GET /template_versions and /template_versions/{version}/functions. */
export function templateVersionRoutes(app: FastifyInstance): void {
  app.get('/template_versions', async () => ({ template_versions: templateVersions() }));

  app.get<{ Params: { version: string } }>('/template_versions/:version/functions', async (req) => {
    const q = req.query as Query;
    const withConditions = boolParam('with_condition_func', single(q, 'with_condition_func'));
    const name = req.params.version;
    const info = versionByName(name);
    if (!info) throw new HeatFault('NotFound', `Template with version ${name} not found`, 404);
    const template = Template.load({ [info.key]: info.value }, new Map());
    return { template_functions: template.functionList(withConditions) };
  });
}
