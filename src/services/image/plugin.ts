import type { FastifyInstance } from 'fastify';
import { installErrorHandling } from '../../http/errors.js';
import { requireToken } from '../../http/auth.js';
import { jsonParser } from '../../http/server.js';
import type { IdentityService } from '../identity/service.js';
import type { ImageService } from './service.js';
import { renderImageError } from './errors.js';
import { PATCH_V20, PATCH_V21 } from './routes/patch-body.js';
import { versionRoutes } from './routes/versions.js';
import { imageRoutes } from './routes/images.js';
import { imageDataRoutes } from './routes/image-data.js';
import { tagRoutes } from './routes/tags.js';
import { actionRoutes } from './routes/actions.js';
import { memberRoutes } from './routes/members.js';
import { schemaRoutes } from './routes/schemas.js';

/** Glance v2 under /image. */
export async function imagePlugin(
  app: FastifyInstance,
  opts: { images: ImageService; identity: IdentityService },
): Promise<void> {
  const { images, identity } = opts;
  const baseUrl = (): string => identity.baseUrl();
  installErrorHandling(app, renderImageError);

  // JSON-patch bodies are JSON under Glance's own media types.
  app.addContentTypeParser([PATCH_V21, PATCH_V20], { parseAs: 'string' }, jsonParser);

  versionRoutes(app, baseUrl);
  await app.register(async (authed) => {
    authed.addHook('onRequest', requireToken(identity));
    imageRoutes(authed, images, baseUrl);
    imageDataRoutes(authed, images);
    tagRoutes(authed, images);
    actionRoutes(authed, images);
    memberRoutes(authed, images);
    schemaRoutes(authed);
  });
}
