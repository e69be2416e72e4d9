import { once } from 'node:events';
import type { Request, RequestHandler, Response } from 'express';
import { validate } from 'class-validator';
import type { RequestContext } from '../app/context';
import { logger } from '../app/logger';
import { AppError, type ErrorCode } from '../errors/app-error';
import { respondIfUnavailable } from '../errors/service-unavailable';
import { AuditEventFilter } from './audit-log.inputs';
import { record } from './audit-log.service';
import type { AuditEvent } from './audit-log.types';
import { queryAuditEvents } from './audit-query';

const EXPORT_PAGE_SIZE = 1000;
const FORMATS = { csv: 'text/csv; charset=utf-8', ndjson: 'application/x-ndjson; charset=utf-8' } as const;
type Format = keyof typeof FORMATS;

const HTTP_STATUS: Partial<Record<ErrorCode, number>> = { UNAUTHENTICATED: 401, FORBIDDEN: 403, BAD_USER_INPUT: 400 };

const COLUMNS: [string, (event: AuditEvent) => unknown][] = [
  ['occurredAt', (e) => e.occurredAt.toISOString()],
  ['sequence', (e) => e.sequence],
  ['category', (e) => e.category],
  ['action', (e) => e.action],
  ['outcome', (e) => e.outcome],
  ['failureReason', (e) => e.failureReason],
  ['actorType', (e) => e.actor.type],
  ['actorId', (e) => e.actor.id],
  ['actorName', (e) => e.actor.name],
  ['apiKeyId', (e) => e.actor.apiKeyId],
  ['targetType', (e) => e.target?.type],
  ['targetId', (e) => e.target?.id],
  ['targetName', (e) => e.target?.name],
  ['workspaceId', (e) => e.workspaceId],
  ['ip', (e) => e.ip],
  ['userAgent', (e) => e.userAgent],
  ['requestId', (e) => e.requestId],
  ['changes', (e) => (e.changes ? JSON.stringify(e.changes) : null)],
  ['hash', (e) => e.hash],
];

/** A spreadsheet runs a cell starting with one of these as a formula: a quote makes it text. */
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  const safe = FORMULA_START.test(text) ? `'${text}` : text;
  return `"${safe.replace(/"/g, '""')}"`;
}

function serialize(event: AuditEvent, format: Format): string {
  if (format === 'ndjson') return `${JSON.stringify(event)}\n`;
  return `${COLUMNS.map(([, value]) => csvCell(value(event))).join(',')}\r\n`;
}

const list = (value: unknown) => (typeof value === 'string' && value ? value.split(',') : undefined);
const text = (value: unknown) => (typeof value === 'string' && value ? value : undefined);

async function parseFilter(query: Request['query']): Promise<AuditEventFilter> {
  const filter = Object.assign(new AuditEventFilter(), {
    categories: list(query.categories),
    actions: list(query.actions),
    actorId: text(query.actorId),
    targetId: text(query.targetId),
    workspaceId: text(query.workspaceId),
    outcome: text(query.outcome),
    search: text(query.search),
    from: text(query.from) && new Date(text(query.from)!),
    to: text(query.to) && new Date(text(query.to)!),
    afterSequence: text(query.afterSequence) && Number(text(query.afterSequence)),
  });
  for (const field of ['from', 'to'] as const) {
    if (filter[field] && Number.isNaN(filter[field].getTime()))
      throw AppError.badInput(field, `${field} must be an ISO 8601 date.`);
  }
  const [problem] = await validate(filter, { skipMissingProperties: true });
  if (problem) throw AppError.badInput(problem.property, Object.values(problem.constraints ?? {})[0] ?? 'Not valid.');
  return filter;
}

async function writeAll(res: Response, chunk: string): Promise<void> {
  if (!res.write(chunk)) await once(res, 'drain');
}

/**
 * GET /api/audit-events/export?format=csv|ndjson&<AuditEventFilter fields>: the same
 * authentication and permission as the auditEvents query, streamed page by page by keyset so
 * memory stays flat whatever the size. The export is audited before the first byte is sent.
 */
export function auditExportHandler(
  createRequestContext: (req: Request, res: Response) => Promise<RequestContext>,
): RequestHandler {
  return async (req, res) => {
    let ctx: RequestContext | null = null;
    try {
      ctx = await createRequestContext(req, res);
      if (ctx.credentialsRejected || !ctx.auth) throw AppError.unauthenticated();
      if (!ctx.auth.permissions.has('auditLog:read')) throw AppError.forbidden();
      const format = (req.query.format ?? 'csv') as Format;
      if (!(format in FORMATS)) throw AppError.badInput('format', 'format must be csv or ndjson.');
      const filter = await parseFilter(req.query);
      const organizationId = ctx.auth.organizationId;
      const auditContext = ctx;
      await ctx.db.transaction((tx) =>
        record(auditContext, tx, {
          category: 'USER_ACTIONS',
          action: 'auditLog.exported',
          target: { type: 'organization', id: organizationId },
          changes: { export: { before: null, after: { format, filter: { ...filter } } } },
        }),
      );
      res.status(200).type(FORMATS[format]);
      res.setHeader(
        'content-disposition',
        `attachment; filename="audit-log-${new Date().toISOString().slice(0, 10)}.${format}"`,
      );
      if (format === 'csv') await writeAll(res, `${COLUMNS.map(([name]) => name).join(',')}\r\n`);
      let after: string | undefined;
      do {
        const page = await queryAuditEvents(ctx.db, organizationId, filter, EXPORT_PAGE_SIZE, after);
        if (res.destroyed) return;
        await writeAll(res, page.nodes.map((event) => serialize(event, format)).join(''));
        after = page.pageInfo.hasNextPage ? (page.pageInfo.endCursor ?? undefined) : undefined;
      } while (after);
      res.end();
    } catch (error) {
      if (res.headersSent) {
        logger.error({ err: error, requestId: ctx?.requestId }, 'audit export failed while streaming');
        res.destroy();
        return;
      }
      if (respondIfUnavailable(res, error)) return;
      const known = error instanceof AppError ? error : null;
      if (!known) logger.error({ err: error, requestId: ctx?.requestId }, 'audit export failed');
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
