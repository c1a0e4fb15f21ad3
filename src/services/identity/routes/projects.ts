import type { FastifyInstance } from 'fastify';
import { Forbidden } from '../../../errors.js';
import { first, type Query } from '../../../http/query.js';
import type { IdentityService } from '../service.js';
import { collection, projectView } from '../views/resources.view.js';
import {
  envelope,
  optBool,
  optString,
  optStringArray,
  queryBool,
  reqName,
  requireAdmin,
} from './input.js';

export function projectRoutes(app: FastifyInstance, identity: IdentityService): void {
  const base = (): string => `${identity.baseUrl()}/identity/v3`;

  app.get('/v3/projects', async (req) => {
    requireAdmin(req.ctx, 'list_projects');
    const q = req.query as Query;
    const projects = await identity.directory.listProjects({
      name: first(q, 'name'),
      domain_id: first(q, 'domain_id'),
      enabled: queryBool(first(q, 'enabled')),
    });
    return collection(
      'projects',
      projects.map((p) => projectView(p, base())),
      `${base()}/projects`,
    );
  });

  app.post('/v3/projects', async (req, reply) => {
    requireAdmin(req.ctx, 'create_project');
    const p = envelope(req.body, 'project');
    const project = await identity.directory.createProject({
      name: reqName(p, 64),
      domain_id: optString(p, 'domain_id', 64),
      description: optString(p, 'description', 65535),
      enabled: optBool(p, 'enabled'),
      tags: optStringArray(p, 'tags'),
    });
    return reply.code(201).send({ project: projectView(project, base()) });
  });

  app.get<{ Params: { id: string } }>('/v3/projects/:id', async (req) => {
    // Anyone may read the project their token is scoped to.
    if (req.ctx.projectId !== req.params.id) requireAdmin(req.ctx, 'get_project');
    return { project: projectView(await identity.directory.getProject(req.params.id), base()) };
  });

  app.patch<{ Params: { id: string } }>('/v3/projects/:id', async (req) => {
    requireAdmin(req.ctx, 'update_project');
    const p = envelope(req.body, 'project');
    if (p.domain_id !== undefined) throw new Forbidden('Update of `domain_id` is not allowed.');
    const project = await identity.directory.updateProject(req.params.id, {
      name: p.name === undefined ? undefined : reqName(p, 64),
      description: optString(p, 'description', 65535),
      enabled: optBool(p, 'enabled'),
      tags: optStringArray(p, 'tags'),
    });
    identity.changed();
    return { project: projectView(project, base()) };
  });

  app.delete<{ Params: { id: string } }>('/v3/projects/:id', async (req, reply) => {
    requireAdmin(req.ctx, 'delete_project');
    await identity.directory.deleteProject(req.params.id);
    identity.changed();
    return reply.code(204).send();
  });
}
