import type { Request, Response } from 'express';
import { LOGO_MAX_BYTES } from '@gatehouse/shared';
import type { RequestContext } from '../kernel/context';
import { record } from '../audit-log/audit-log.service';
import { requireAuth } from '../auth/policies';
import { AppError } from '../errors/app-error';

/** The image type a file's first bytes announce; the name and the declared type are not trusted. */
export function imageTypeOf(bytes: Buffer): 'image/png' | 'image/jpeg' | null {
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  return null;
}

/**
 * PUT /api/organization/logo (the image as the body) and DELETE: the active organization's logo.
 * The route guard (app/routes.ts) has checked settings:manage.
 */
export async function saveOrganizationLogo(ctx: RequestContext, req: Request, res: Response): Promise<void> {
  const { organizationId } = requireAuth(ctx);
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
}

/** GET /api/organizations/:id/logo: for members of that organization only. */
export async function serveOrganizationLogo(ctx: RequestContext, req: Request, res: Response): Promise<void> {
  const [row] = await ctx.db.query(
    `SELECT o.logo, o.logo_content_type FROM organizations o
         JOIN memberships m ON m.organization_id = o.id AND m.user_id = $2 AND m.status = 'ACTIVE'
        WHERE o.id::text = $1 AND o.logo IS NOT NULL`,
    [String(req.params.id), requireAuth(ctx).user.id],
  );
  if (!row) throw AppError.notFound('Logo');
  res.setHeader('cache-control', 'private, max-age=3600');
  res.type(row.logo_content_type).send(row.logo);
}
