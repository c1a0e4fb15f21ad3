import type { FastifyRequest } from 'fastify';
import type { Query } from '../../../http/query.js';
import type { ListQuery } from '../listing.js';
import { NeutronFault } from '../errors.js';
import { selectFields } from '../views/common.js';
import { pageLinks } from './list-query.js';

/**
 * `If-Match: revision_number=N` (Neutron's revision-if-match extension): the update applies
 * only while the resource is at that revision. Other If-Match forms are ignored, as in Neutron.
 */
export function ifMatchOf(req: FastifyRequest): number | undefined {
  const header = req.headers['if-match'];
  if (header === undefined) return undefined;
  const text = Array.isArray(header) ? header.join(',') : header;
  const m = /revision_number=(\S*)/.exec(text);
  if (!m) return undefined;
  const n = /^\d{1,15}$/.test(m[1]!) ? Number(m[1]) : NaN;
  if (Number.isNaN(n)) {
    throw new NeutronFault(
      400,
      'BadRequest',
      'Bad if-match request: Revision number etag must be in the format of revision_number=<int>.',
    );
  }
  return n;
}

/** The URL of the collection, as the client called it, for `<collection>_links`. */
export function collectionUrl(req: FastifyRequest, baseUrl: string): string {
  const path = req.url.split('?')[0]!;
  return `${baseUrl}${path}`;
}

/** `{"<collection>": [...], "<collection>_links": [...]}` of one page. */
export function listBody<T extends { id: string }>(
  req: FastifyRequest,
  baseUrl: string,
  collection: string,
  q: ListQuery,
  page: { rows: T[] },
  view: (item: T) => Record<string, unknown>,
): Record<string, unknown> {
  const body: Record<string, unknown> = {
    [collection]: page.rows.map((r) => selectFields(view(r), q.fields)),
  };
  const links = pageLinks(collectionUrl(req, baseUrl), req.query as Query, q, {
    firstId: page.rows[0]?.id,
    lastId: page.rows.at(-1)?.id,
    count: page.rows.length,
  });
  if (links.length > 0) body[`${collection}_links`] = links;
  return body;
}

/** `fields=` on a show. */
export function fieldsOf(req: FastifyRequest): string[] {
  const v = (req.query as Query).fields;
  return (v === undefined ? [] : Array.isArray(v) ? v : [v]).filter((f) => f !== '');
}

/**
 * Creates every resource of a (bulk) POST in order. Neutron's bulk create is all or nothing:
 * when one fails, the ones already made are deleted again before the error is answered.
 */
export async function createAll<T extends { id: string }>(
  items: { fields: Record<string, unknown>; projectId: string }[],
  create: (item: { fields: Record<string, unknown>; projectId: string }) => Promise<T>,
  undo: (id: string) => Promise<void>,
): Promise<T[]> {
  const made: T[] = [];
  try {
    for (const item of items) made.push(await create(item));
  } catch (err) {
    for (const m of made.reverse()) await undo(m.id).catch(() => undefined);
    throw err;
  }
  return made;
}
