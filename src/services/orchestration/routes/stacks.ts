import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { OrchestrationService } from '../service.js';
import { STACK_FILTER_KEYS, type StackListQuery } from '../reads.js';
import { stackLinks, stackSummaryView, stackView } from '../views/stack.view.js';
import { createInput } from './create-body.js';
import {
  boolParam,
  encodeQuery,
  filters,
  has,
  intParam,
  multi,
  queryPairs,
  single,
  type Query,
} from './params.js';

export type Identified = { tenant_id: string; stack_name: string; stack_id: string };

/** /v1/{tenant}/stacks: create, list, detail, show, delete. */
export function stackRoutes(
  app: FastifyInstance,
  heat: OrchestrationService,
  baseUrl: () => string,
): void {
  app.post('/stacks', async (req, reply) => {
    const stack = await heat.createStack(req.ctx, createInput(req.body));
    const links = stackLinks(baseUrl(), stack);
    return reply
      .code(201)
      .header('location', links[0]!.href)
      .send({ stack: { id: stack.id, links } });
  });

  app.get('/stacks', async (req) => listStacks(req, heat, baseUrl));
  // Heat's detail: list_stacks with no parameters at all, each stack in full summary form.
  app.get('/stacks/detail', async (req) => {
    const found = await heat.listStacksFiltered(req.ctx, emptyQuery(), {
      deleted: false,
      nested: false,
      global: false,
    });
    const stacks = [];
    for (const s of found.stacks) {
      stacks.push(stackSummaryView(baseUrl(), s, await heat.ownerName(s.userId)));
    }
    return { stacks };
  });

  app.get<{ Params: Identified }>('/stacks/:stack_name/:stack_id', async (req) => {
    const q = req.query as Query;
    const resolve = boolParam('resolve_outputs', single(q, 'resolve_outputs'), true);
    const stack = await heat.stackAt(req.ctx, req.params.stack_name, req.params.stack_id);
    const shown = await heat.showStackWith(req.ctx, stack, resolve);
    const owner = await heat.ownerName(stack.userId);
    return {
      stack: stackView(baseUrl(), stack, owner, shown.parameters, shown.outputs, shown.template),
    };
  });

  app.delete<{ Params: Identified }>('/stacks/:stack_name/:stack_id', async (req, reply) => {
    const stack = await heat.stackAt(req.ctx, req.params.stack_name, req.params.stack_id, {
      deleted: false,
    });
    await heat.deleteStack(req.ctx, stack);
    return reply.code(204).send();
  });
}

/** GET /stacks and /stacks/detail: Heat's _index. */
async function listStacks(req: FastifyRequest, heat: OrchestrationService, baseUrl: () => string) {
  const q = req.query as Query;
  const global = boolParam('global_tenant', single(q, 'global_tenant'));
  const deleted = boolParam('show_deleted', single(q, 'show_deleted'));
  const nested = boolParam('show_nested', single(q, 'show_nested'));
  const limit = intParam('limit', single(q, 'limit'));
  const showHidden = boolParam('show_hidden', single(q, 'show_hidden'));
  const tagList = (key: string) => {
    const v = single(q, key);
    return v === null ? null : v.split(',');
  };
  const query: StackListQuery = {
    filters: filters(q, STACK_FILTER_KEYS),
    limit,
    marker: single(q, 'marker'),
    sortKeys: multi(q, 'sort_keys'),
    sortDir: single(q, 'sort_dir'),
    tags: tagList('tags'),
    tagsAny: tagList('tags_any'),
    notTags: tagList('not_tags'),
    notTagsAny: tagList('not_tags_any'),
    showHidden,
  };
  const withCount = has(q, 'with_count') ? boolParam('with_count', single(q, 'with_count')) : false;
  const found = await heat.listStacksFiltered(req.ctx, query, { deleted, nested, global });
  const base = baseUrl();
  const stacks: Array<Record<string, unknown>> = [];
  for (const s of found.stacks) {
    stacks.push(stackSummaryView(base, s, await heat.ownerName(s.userId), found.withProject));
  }
  const out: Record<string, unknown> = { stacks };
  if (limit !== null && limit > 0 && stacks.length === limit) {
    out.links = [
      { rel: 'next', href: nextLink(req, base, found.stacks[found.stacks.length - 1]!.id) },
    ];
  }
  if (withCount) out.count = found.count;
  return out;
}

function emptyQuery(): StackListQuery {
  return {
    filters: new Map(),
    limit: null,
    marker: null,
    sortKeys: [],
    sortDir: null,
    tags: null,
    tagsAny: null,
    notTags: null,
    notTagsAny: null,
    showHidden: false,
  };
}

/** views_common._get_next_link: the same query with marker (moved last) set to the last id. */
function nextLink(req: FastifyRequest, base: string, marker: string): string {
  const pairs = queryPairs(req.url).filter(([k]) => k !== 'marker');
  pairs.push(['marker', marker]);
  const path = req.url.split('?')[0]!.replace(/^\/orchestration/, '');
  return `${base}${path}?${encodeQuery(pairs)}`;
}
