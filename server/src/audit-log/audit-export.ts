import { once } from 'node:events';
import type { Request, Response } from 'express';
import { validate } from 'class-validator';
import type { RequestContext } from '../kernel/context';
import { requireAuth } from '../auth/policies';
import { AppError } from '../errors/app-error';
import { AuditEventFilter } from './audit-log.inputs';
import { record } from './audit-log.service';
import type { AuditEvent } from './audit-log.types';
import { queryAuditEvents } from './audit-query';

const EXPORT_PAGE_SIZE = 1000;
const FORMATS = { csv: 'text/csv; charset=utf-8', ndjson: 'application/x-ndjson; charset=utf-8' } as const;
type Format = keyof typeof FORMATS;

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

const FILTER_PARAMS = [
  'categories',
  'actions',
  'actorId',
  'targetId',
  'workspaceId',
  'outcome',
  'search',
  'from',
  'to',
  'afterSequence',
] as const;
type FilterParam = (typeof FILTER_PARAMS)[number];

/**
 * Every query parameter, checked before anything is recorded or sent: only known names, each
 * at most once, and a format that is one of FORMATS' own keys (`__proto__` is not a format).
 */
async function parseQuery(query: Request['query']): Promise<{ format: Format; filter: AuditEventFilter }> {
  const values: Partial<Record<FilterParam | 'format', string>> = {};
  for (const [name, value] of Object.entries(query)) {
    if (name !== 'format' && !(FILTER_PARAMS as readonly string[]).includes(name))
      throw AppError.badInput(name, `${name} is not a filter of the audit log export.`);
    if (typeof value !== 'string') throw AppError.badInput(name, `Give ${name} once.`);
    if (value) values[name as FilterParam | 'format'] = value;
  }
  const format = values.format ?? 'csv';
  if (!Object.hasOwn(FORMATS, format)) throw AppError.badInput('format', 'format must be csv or ndjson.');
  const date = (field: 'from' | 'to') => {
    const raw = values[field];
    if (raw === undefined) return undefined;
    const parsed = new Date(raw);
    if (Number.isNaN(parsed.getTime())) throw AppError.badInput(field, `${field} must be an ISO 8601 date.`);
    return parsed;
  };
  const filter = Object.assign(new AuditEventFilter(), {
    categories: values.categories?.split(','),
    actions: values.actions?.split(','),
    actorId: values.actorId,
    targetId: values.targetId,
    workspaceId: values.workspaceId,
    outcome: values.outcome,
    search: values.search,
    from: date('from'),
    to: date('to'),
    afterSequence: values.afterSequence === undefined ? undefined : Number(values.afterSequence),
  });
  const [problem] = await validate(filter, { skipMissingProperties: true });
  if (problem) throw AppError.badInput(problem.property, Object.values(problem.constraints ?? {})[0] ?? 'Not valid.');
  return { format: format as Format, filter };
}

async function writeAll(res: Response, chunk: string): Promise<void> {
  if (!res.write(chunk)) await once(res, 'drain');
}

/**
 * GET /api/audit-events/export?format=csv|ndjson&<AuditEventFilter fields>, behind the route
 * guard (app/routes.ts) with the auditEvents query's permission; streamed page by page by
 * keyset so memory stays flat whatever the size. The export is audited before the first byte
 * is sent, and only once every parameter has been accepted.
 */
export async function exportAuditEvents(ctx: RequestContext, req: Request, res: Response): Promise<void> {
  const { format, filter } = await parseQuery(req.query);
  const { organizationId } = requireAuth(ctx);
  await ctx.db.transaction((tx) =>
    record(ctx, tx, {
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
}
