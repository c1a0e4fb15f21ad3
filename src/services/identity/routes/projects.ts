import type { FastifyInstance } from 'fastify';
import type { IdentityService } from '../service.js';
import { collection, projectView } from '../views/resources.view.js';
import { ProjectCreate, ProjectUpdate, querySchema } from './schemas.js';
import { boolFilter, member, one, query } from './request.js';

const ListQuery = querySchema(['name', 'domain_id', 'enabled']);
type Id = { Params: { id: string } };

export function projectRoutes(app: FastifyInstance, identity: IdentityService): void {
  const base = (): string => `${identity.baseUrl()}/identity/v3`;

  app.get('/v3/projects', async (req) => {
    const q = query(ListQuery, req.query);
    const projects = await identity.listProjects(req.ctx, {
      name: one(q.name),
      domain_id: one(q.domain_id),
      enabled: boolFilter(q.enabled),
    });
    return collection(
      'projects',
      projects.map((p) => projectView(p, base())),
      `${base()}/projects`,
    );
  });

  app.post('/v3/projects', async (req, reply) => {
    identity.authorize(req.ctx, 'create_project');
    const p = member(ProjectCreate, req.body, 'project');
    const project = await identity.createProject(req.ctx, {
      name: p.name,
      domain_id: p.domain_id,
      description: p.description,
      enabled: p.enabled,
      tags: p.tags,
    });
    return reply.code(201).send({ project: projectView(project, base()) });
  });

  app.get<Id>('/v3/projects/:id', async (req) => ({
    project: projectView(await identity.getProject(req.ctx, req.params.id), base()),
  }));

  app.patch<Id>('/v3/projects/:id', async (req) => {
    identity.authorize(req.ctx, 'update_project');
    const p = member(ProjectUpdate, req.body, 'project');
    const project = await identity.updateProject(req.ctx, req.params.id, {
      name: p.name,
      domain_id: p.domain_id,
      description: p.description,
      enabled: p.enabled,
      tags: p.tags,
    });
    return { project: projectView(project, base()) };
  });

  app.delete<Id>('/v3/projects/:id', async (req, reply) => {
    await identity.deleteProject(req.ctx, req.params.id);
    return reply.code(204).send();
  });
}
