import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { BadRequest, RangeNotSatisfiable, UnsupportedMediaType } from '../../../errors.js';
import type { ImageService } from '../service.js';

/** `bytes=a-b`, `bytes=a-` or `bytes=-n`; one range only, as Glance serves. */
function parseRange(header: string | undefined): { start?: number; end?: number } | undefined {
  if (header === undefined) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === ''))
    throw new RangeNotSatisfiable(`Invalid Range header: ${header}`);
  if (m[1] === '') return { end: Number(m[2]) }; // suffix: the last n bytes
  return { start: Number(m[1]), end: m[2] === '' ? undefined : Number(m[2]) };
}

/** PUT and GET /v2/images/{id}/file, streamed both ways. */
export function imageDataRoutes(app: FastifyInstance, images: ImageService): void {
  app.put<{ Params: { id: string } }>(
    '/v2/images/:id/file',
    { config: { rawBody: true } },
    async (req, reply) => {
      const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim();
      if (type !== 'application/octet-stream') {
        throw new UnsupportedMediaType(
          `Content-Type must be application/octet-stream, not '${type}'`,
        );
      }
      const sizeHeader = req.headers['x-openstack-image-size'];
      let expected: number | undefined;
      if (typeof sizeHeader === 'string') {
        expected = Number(sizeHeader);
        if (!Number.isInteger(expected) || expected < 0)
          throw new BadRequest(`Invalid x-openstack-image-size: ${sizeHeader}`);
      }
      // Fastify skips the parser for an empty body: that is an upload of zero bytes.
      const data = (req.body as Readable | undefined) ?? Readable.from([]);
      await images.data.upload(req.ctx, req.params.id, data, expected);
      return reply.code(204).send();
    },
  );

  app.get<{ Params: { id: string } }>('/v2/images/:id/file', async (req, reply) => {
    const data = await images.data.download(req.ctx, req.params.id, parseRange(req.headers.range));
    if (!data) return reply.code(204).send();
    reply.header('content-type', 'application/octet-stream').header('content-length', data.length);
    if (data.range) {
      const { start, end, total } = data.range;
      reply.code(206).header('content-range', `bytes ${start}-${end}/${total}`);
    } else if (data.checksum) {
      // Glance sends the md5 as hex, not base64 as RFC 1864 would have it; clients compare hex.
      reply.header('content-md5', data.checksum);
    }
    return reply.send(data.stream);
  });
}
