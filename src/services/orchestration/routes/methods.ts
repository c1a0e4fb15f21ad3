/**
 * Heat's router (heat/api/openstack/v1/__init__.py): a known URL asked with a method it does
 * not take answers 405 with the methods it takes in `Allow`, and OPTIONS answers 204 with them.
 * Unknown URLs stay 404s.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sendError } from '../../../http/errors.js';
import { HeatFault, renderHeatError } from '../errors.js';

interface Pattern {
  re: RegExp;
  methods: Set<string>;
}

function compile(url: string): RegExp {
  const body = url
    .split('/')
    .map((seg) =>
      seg.startsWith(':') ? '[^/]+' : seg.replace(/[.*+?^${}()|[\]\\]/g, (c) => `\\${c}`),
    )
    .join('/');
  return new RegExp(`^${body}/?$`);
}

/** Call before the scope's routes are declared: it watches them as they are added. */
export function methodRouting(app: FastifyInstance): void {
  const patterns = new Map<string, Pattern>();
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const known = patterns.get(route.url) ?? { re: compile(route.url), methods: new Set() };
    for (const m of methods) known.methods.add(m);
    patterns.set(route.url, known);
  });
  app.setNotFoundHandler((req: FastifyRequest, reply: FastifyReply) => {
    const path = req.url.split('?')[0]!;
    const allowed = new Set<string>();
    for (const p of patterns.values())
      if (p.re.test(path)) p.methods.forEach((m) => allowed.add(m));
    if (allowed.size === 0) {
      return sendError(
        req,
        reply,
        new HeatFault('HTTPNotFound', 'The resource could not be found.', 404),
        renderHeatError,
      );
    }
    const allow = [...allowed].join(',');
    if (req.method === 'OPTIONS') return reply.code(204).header('allow', allow).send();
    const err = new HeatFault(
      'HTTPMethodNotAllowed',
      'The method is not allowed for this resource.',
      405,
    );
    err.headers = { allow };
    return sendError(req, reply, err, renderHeatError);
  });
}
