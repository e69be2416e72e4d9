import type { Request, RequestHandler, Response } from 'express';
import { LOGO_MAX_BYTES } from '@gatehouse/shared';
import type { RequestContext } from '../app/context';
import { logger } from '../app/logger';
import { record } from '../audit-log/audit-log.service';
import { AppError, type ErrorCode } from '../errors/app-error';
import { respondIfUnavailable } from '../errors/service-unavailable';

const HTTP_STATUS: Partial<Record<ErrorCode, number>> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  BAD_USER_INPUT: 400,
};

/** The image type a file's first bytes announce; the name and the declared type are not trusted. */
export function imageTypeOf(bytes: Buffer): 'image/png' | 'image/jpeg' | null {
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  return null;
}

type ContextFactory = (req: Request, res: Response) => Promise<RequestContext>;

/** Runs a logo route with the API's authentication, answering refusals as the API does. */
function route(
  createRequestContext: ContextFactory,
  handle: (ctx: RequestContext, req: Request, res: Response) => Promise<void>,
): RequestHandler {
  return async (req, res) => {
    try {
      const ctx = await createRequestContext(req, res);
      if (ctx.credentialsRejected || !ctx.auth) throw AppError.unauthenticated();
      await handle(ctx, req, res);
    } catch (error) {
      if (respondIfUnavailable(res, error)) return;
      const known = error instanceof AppError ? error : null;
      if (!known) logger.error({ err: error }, 'organization logo request failed');
      res.status(known ? (HTTP_STATUS[known.code] ?? 400) : 500).json({
        errors: [
          {
            message: known?.message ?? 'Something went wrong on our side. Please try again.',
            extensions: {
              code: known?.code ?? 'INTERNAL_SERVER_ERROR',
              ...(known?.field ? { field: known.field } : {}),
            },
          },
        ],
      });
    }
  };
}

/** PUT /api/organization/logo (the image as the body) and DELETE: the active organization's logo. */
export function saveLogoHandler(createRequestContext: ContextFactory): RequestHandler {
  return route(createRequestContext, async (ctx, req, res) => {
    if (!ctx.auth!.permissions.has('settings:manage')) throw AppError.forbidden();
    const organizationId = ctx.auth!.organizationId;
    const image = req.method === 'DELETE' ? null : (req.body as Buffer);
    if (image && !Buffer.isBuffer(image)) throw AppError.badInput('logo', 'Send the image as the request body.');
    if (image && image.length > LOGO_MAX_BYTES) throw AppError.badInput('logo', 'The logo can be at most 2 MB.');
    const contentType = image ? imageTypeOf(image) : null;
    if (image && !contentType) throw AppError.badInput('logo', 'The logo must be a PNG or JPEG image.');
    await ctx.db.transaction(async (tx) => {
      await tx.query(
        `UPDATE organizations SET logo = $2, logo_content_type = $3, logo_updated_at = CASE WHEN $2::bytea IS NULL THEN NULL ELSE now() END
          WHERE id = $1`,
        [organizationId, image, contentType],
      );
      await record(ctx, tx, {
        category: 'SETTING_UPDATES',
        action: image ? 'settings.logoUpdated' : 'settings.logoRemoved',
        target: { type: 'organization', id: organizationId },
        changes: image ? { logo: { before: null, after: `${contentType}, ${image.length} bytes` } } : undefined,
      });
    });
    res.status(204).end();
  });
}

/** GET /api/organizations/:id/logo: for members of that organization only. */
export function serveLogoHandler(createRequestContext: ContextFactory): RequestHandler {
  return route(createRequestContext, async (ctx, req, res) => {
    const [row] = await ctx.db.query(
      `SELECT o.logo, o.logo_content_type FROM organizations o
         JOIN memberships m ON m.organization_id = o.id AND m.user_id = $2 AND m.status = 'ACTIVE'
        WHERE o.id::text = $1 AND o.logo IS NOT NULL`,
      [String(req.params.id), ctx.auth!.user.id],
    );
    if (!row) throw AppError.notFound('Logo');
    res.setHeader('cache-control', 'private, max-age=3600');
    res.setHeader('x-content-type-options', 'nosniff');
    res.type(row.logo_content_type).send(row.logo);
  });
}
