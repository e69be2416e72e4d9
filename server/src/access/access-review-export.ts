import type { Request, Response } from 'express';
import type { RequestContext } from '../kernel/context';
import { record } from '../audit-log/audit-log.service';
import { csvCell } from '../audit-log/audit-export';
import { permissionsInWorkspace } from '../auth/effective-permissions';
import { requireAuth, requireId } from '../auth/policies';
import { AppError } from '../errors/app-error';
import { type GrantPath, describePath, loadGrantPaths } from './grant-paths';

const COLUMNS: [string, (path: GrantPath, permission: string) => unknown][] = [
  ['principalId', (p) => p.userId],
  ['principalName', (p) => p.principalName],
  ['email', (p) => p.principalEmail],
  ['permission', (_p, permission) => permission],
  ['workspaceId', (p) => p.workspaceId],
  ['workspaceName', (p) => p.workspaceName],
  ['pathKind', (p) => p.kind],
  ['role', (p) => p.roleName],
  ['group', (p) => p.groupName],
  ['path', (p, permission) => describePath(p, permission)],
  ['expiresAt', (p) => p.expiresAt?.toISOString()],
];

/**
 * GET /api/access-review/export?format=csv[&workspaceId=…]: every active principal with each
 * permission it holds and the path it holds it by (one row per permission and path): for the
 * organization, or only the workspace permissions of one workspace the caller can see. Read through the same paths as
 * explainAccess, so the review shows what the authorization check counts. Audited before it is sent.
 */
export async function exportAccessReview(ctx: RequestContext, req: Request, res: Response): Promise<void> {
  const { organizationId } = requireAuth(ctx);
  if (req.query.format !== 'csv') throw AppError.badInput('format', 'The access review is exported as format=csv.');
  const workspaceId = typeof req.query.workspaceId === 'string' ? requireId(req.query.workspaceId, 'Workspace') : null;
  if (workspaceId) await permissionsInWorkspace(ctx, workspaceId);
  await ctx.db.transaction((tx) =>
    record(ctx, tx, {
      category: 'USER_ACTIONS',
      action: 'accessReview.exported',
      target: { type: 'organization', id: organizationId },
      workspaceId,
      changes: { export: { before: null, after: { format: 'csv', workspaceId } } },
    }),
  );
  const paths = await loadGrantPaths(ctx.db.manager, organizationId, { workspaceId });
  const lines = [COLUMNS.map(([name]) => name).join(',')];
  for (const path of paths) {
    if (workspaceId && path.workspaceId !== workspaceId) continue;
    for (const permission of path.permissions) {
      lines.push(COLUMNS.map(([, value]) => csvCell(value(path, permission))).join(','));
    }
  }
  res.status(200).type('text/csv');
  res.setHeader(
    'content-disposition',
    `attachment; filename="access-review-${new Date().toISOString().slice(0, 10)}.csv"`,
  );
  res.end(`${lines.join('\r\n')}\r\n`);
}
