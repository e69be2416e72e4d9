import { randomBytes, randomUUID } from 'node:crypto';
import type { RequestContext } from '../kernel/context';
import type { AuditCategory } from '../audit-log/audit-event.entity';
import { type AuditChanges, record } from '../audit-log/audit-log.service';
import { requireAuth, requireId } from '../auth/policies';
import { secretBoxFor } from '../auth/secret-box';
import { withConstraints } from '../db/constraints';
import type { Transaction } from '../db/data-source';
import { AppError } from '../errors/app-error';
import { OutboundError, assertAllowedTarget, outboundPolicy } from '../outbound/outbound';
import { enqueueDelivery, logDelivery } from './audit-stream-delivery';
import { sendToStream, testEvent } from './audit-stream-send';
import { AuditStreamEntity } from './audit-stream.entity';
import type { AuditStreamHeaderInput, CreateAuditStreamInput, UpdateAuditStreamInput } from './audit-stream.inputs';
import { AuditStream, AuditStreamDelivery, CreatedAuditStream } from './audit-stream.types';

const CONSTRAINTS = {
  audit_streams_organization_name_key: () => AppError.conflict('Another audit stream has this name.', 'name'),
};

/** RFC 9110 token characters. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Visible ASCII, space and tab: no CR, LF or NUL to split a request with. */
const HEADER_VALUE = /^[\t\x20-\x7e]*$/;
/** Headers the transport or the signature own: a custom header may not replace them. */
const RESERVED_HEADERS = new Set([
  'host',
  'content-length',
  'content-type',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'proxy-authorization',
  'proxy-authenticate',
  'proxy-connection',
  'te',
  'trailer',
  'upgrade',
  'expect',
  'user-agent',
  'webhook-id',
  'webhook-timestamp',
  'webhook-signature',
]);
const HEADERS_MAX_BYTES = 8192;

const target = (stream: Pick<AuditStreamEntity, 'id' | 'name'>) => ({
  type: 'auditStream',
  id: stream.id,
  name: stream.name,
});

/** The custom headers, checked, as the sealed JSON stored and the names shown. */
function sealHeaders(ctx: RequestContext, headers: AuditStreamHeaderInput[]) {
  const seen = new Set<string>();
  let bytes = 0;
  for (const { name, value } of headers) {
    const lower = name.toLowerCase();
    if (!HEADER_NAME.test(name) || RESERVED_HEADERS.has(lower) || lower.startsWith('proxy-') || seen.has(lower)) {
      throw AppError.badInput('headers', `The header name "${name.slice(0, 64)}" cannot be used.`);
    }
    if (!HEADER_VALUE.test(value)) {
      throw AppError.badInput('headers', `The value of ${name} may hold only visible ASCII characters and spaces.`);
    }
    seen.add(lower);
    bytes += name.length + value.length;
  }
  if (bytes > HEADERS_MAX_BYTES) throw AppError.badInput('headers', 'The custom headers are too long.');
  return {
    sealedHeaders: headers.length
      ? secretBoxFor(ctx.config).seal(JSON.stringify(Object.fromEntries(headers.map((h) => [h.name, h.value]))))
      : null,
    headerNames: headers.map((h) => h.name),
  };
}

/**
 * Receivers must be public HTTPS servers (ALLOW_PRIVATE_NETWORK also admits the private network,
 * over plain HTTP too). Checked before the transaction, since it resolves the name; every
 * delivery is checked again when it connects.
 */
async function assertAllowedUrl(ctx: RequestContext, url: string): Promise<string> {
  const trimmed = url.trim();
  let parsed: URL | null = null;
  try {
    parsed = new URL(trimmed);
  } catch {
    // Refused below like any other unusable address.
  }
  if (parsed && (parsed.username || parsed.password)) {
    throw AppError.badInput('url', 'Put credentials in a custom header, not in the URL: the URL is shown to Admins.');
  }
  try {
    await assertAllowedTarget(trimmed, outboundPolicy(ctx.config));
  } catch (error) {
    if (!(error instanceof OutboundError)) throw error;
    throw AppError.badInput(
      'url',
      ctx.config.allowPrivateNetwork
        ? 'The URL must use https://, or http:// on the private network, and may not be a link-local or metadata address.'
        : 'The URL must be a public https:// address; this server does not connect to private networks.',
    );
  }
  return trimmed;
}

function streamName(name: string): string {
  const trimmed = name.trim();
  if (!trimmed) throw AppError.badInput('name', 'Enter a name.');
  return trimmed;
}

function normalizeFilters(input: { categories?: AuditCategory[]; actions?: string[] }) {
  return {
    categories: input.categories ? [...new Set(input.categories)] : undefined,
    actions: input.actions ? [...new Set(input.actions.map((a) => a.trim()).filter(Boolean))] : undefined,
  };
}

async function streamOf(ctx: RequestContext, tx: Transaction, id: string, what = 'Audit stream') {
  const stream = await tx.findOne(AuditStreamEntity, {
    where: { id: requireId(id, what), organizationId: requireAuth(ctx).organizationId },
    lock: { mode: 'pessimistic_write' },
  });
  if (!stream) throw AppError.notFound(what);
  return stream;
}

export async function listAuditStreams(ctx: RequestContext): Promise<AuditStream[]> {
  const streams = await ctx.db.manager.find(AuditStreamEntity, {
    where: { organizationId: requireAuth(ctx).organizationId },
    order: { name: 'ASC' },
  });
  return streams.map(AuditStream.from);
}

/** The stream's last attempts, newest first (the stream was already read within the organization). */
export async function listDeliveries(ctx: RequestContext, stream: AuditStream): Promise<AuditStreamDelivery[]> {
  const rows = await ctx.db.query(
    `SELECT id::text, attempted_at AS "attemptedAt", success, test, latency_ms AS "latencyMs",
            response_code AS "responseCode", error_code AS "errorCode", first_sequence::int AS "firstSequence",
            last_sequence::int AS "lastSequence", events
       FROM audit_stream_deliveries d WHERE stream_id = $1 ORDER BY d.id DESC LIMIT 100`,
    [stream.id],
  );
  return rows.map((row: AuditStreamDelivery) => Object.assign(new AuditStreamDelivery(), row));
}

/**
 * Adds a destination. Delivery starts with this change's own event: the stream's cursor is set
 * just before it, in the same transaction, so nothing later is missed.
 */
export async function createAuditStream(
  ctx: RequestContext,
  input: CreateAuditStreamInput,
): Promise<CreatedAuditStream> {
  const auth = requireAuth(ctx);
  const url = await assertAllowedUrl(ctx, input.url);
  const headers = sealHeaders(ctx, input.headers ?? []);
  const filters = normalizeFilters(input);
  const secret = `whsec_${randomBytes(32).toString('base64')}`;
  const id = randomUUID();
  const name = streamName(input.name);
  return ctx.db.transaction(async (tx) => {
    const event = await record(ctx, tx, {
      category: 'SETTING_UPDATES',
      action: 'auditStream.created',
      target: { type: 'auditStream', id, name },
      changes: {
        name: { before: null, after: name },
        kind: { before: null, after: input.kind },
        url: { before: null, after: url },
        headerNames: { before: null, after: headers.headerNames },
        categories: { before: null, after: filters.categories ?? [] },
        actions: { before: null, after: filters.actions ?? [] },
      },
    });
    const stream = await withConstraints(
      () =>
        tx.save(
          tx.create(AuditStreamEntity, {
            id,
            organizationId: auth.organizationId,
            name,
            kind: input.kind,
            url,
            sealedSecret: secretBoxFor(ctx.config).seal(secret),
            ...headers,
            categories: filters.categories ?? [],
            actions: filters.actions ?? [],
            batchSize: input.batchSize ?? 100,
            status: 'ACTIVE',
            deliveredSequence: event.sequence - 1,
            failures: 0,
            nextAttemptAt: new Date(),
          }),
        ),
      CONSTRAINTS,
    );
    // Its own event was appended before the stream existed, so nothing enqueued its delivery yet.
    await enqueueDelivery(tx, stream.id);
    return Object.assign(new CreatedAuditStream(), { secret, auditStream: AuditStream.from(stream) });
  });
}

export async function updateAuditStream(
  ctx: RequestContext,
  id: string,
  input: UpdateAuditStreamInput,
): Promise<AuditStream> {
  const url = input.url === undefined ? undefined : await assertAllowedUrl(ctx, input.url);
  const headers = input.headers ? sealHeaders(ctx, input.headers) : undefined;
  const filters = normalizeFilters(input);
  const name = input.name === undefined ? undefined : streamName(input.name);
  return ctx.db.transaction(async (tx) => {
    const stream = await streamOf(ctx, tx, id);
    const resume = input.paused === false && stream.status === 'PAUSED';
    const after: Partial<AuditStreamEntity> = {
      ...(name !== undefined ? { name } : {}),
      ...(url !== undefined ? { url } : {}),
      ...(headers ?? {}),
      ...(filters.categories ? { categories: filters.categories } : {}),
      ...(filters.actions ? { actions: filters.actions } : {}),
      ...(input.batchSize !== undefined ? { batchSize: input.batchSize } : {}),
      ...(input.paused ? { status: 'PAUSED' as const } : {}),
      // Resuming retries at once, with a fresh backoff and 24-hour window.
      ...(resume ? { status: 'ACTIVE' as const, failures: 0, failingSince: null, nextAttemptAt: new Date() } : {}),
    };
    const changes: AuditChanges = {};
    for (const key of ['name', 'url', 'headerNames', 'categories', 'actions', 'batchSize', 'status'] as const) {
      if (after[key] !== undefined && JSON.stringify(after[key]) !== JSON.stringify(stream[key])) {
        changes[key] = { before: stream[key], after: after[key] };
      }
    }
    // New header values are a change even under the same names; their values never enter the log.
    if (headers) changes.headerValues = { before: '(sealed)', after: '(replaced)' };
    if (!Object.keys(changes).length) return AuditStream.from(stream);
    await withConstraints(() => tx.update(AuditStreamEntity, { id: stream.id }, after), CONSTRAINTS);
    await record(ctx, tx, {
      category: 'SETTING_UPDATES',
      action: 'auditStream.updated',
      target: target({ id: stream.id, name: after.name ?? stream.name }),
      changes,
    });
    if (resume) await enqueueDelivery(tx, stream.id);
    return AuditStream.from(await tx.findOneByOrFail(AuditStreamEntity, { id: stream.id }));
  });
}

export async function deleteAuditStream(ctx: RequestContext, id: string): Promise<string> {
  return ctx.db.transaction(async (tx) => {
    const stream = await streamOf(ctx, tx, id);
    await tx.delete(AuditStreamEntity, { id: stream.id });
    await record(ctx, tx, {
      category: 'SETTING_UPDATES',
      action: 'auditStream.deleted',
      target: target(stream),
      changes: { name: { before: stream.name, after: null }, url: { before: stream.url, after: null } },
    });
    return stream.id;
  });
}

/**
 * Sends one signed test message now, outside any transaction (the receiver may take seconds), and
 * keeps the attempt in the delivery log. The stream's cursor and status do not move.
 */
export async function testAuditStream(ctx: RequestContext, id: string): Promise<AuditStreamDelivery> {
  const stream = await ctx.db.transaction((tx) => streamOf(ctx, tx, id));
  const test = testEvent(stream);
  const outcome = await sendToStream(ctx.config, stream, test.id, [test.event]);
  return ctx.db.transaction(async (tx) => {
    await streamOf(ctx, tx, id);
    const deliveryId = await logDelivery(tx, stream.id, outcome, { test: true, events: 1 });
    await record(ctx, tx, {
      category: 'SETTING_UPDATES',
      action: 'auditStream.tested',
      outcome: outcome.success ? 'SUCCESS' : 'FAILURE',
      failureReason: outcome.errorCode ?? undefined,
      target: target(stream),
    });
    return Object.assign(new AuditStreamDelivery(), {
      id: deliveryId,
      attemptedAt: new Date(),
      success: outcome.success,
      test: true,
      latencyMs: outcome.latencyMs,
      responseCode: outcome.responseCode,
      errorCode: outcome.errorCode,
      firstSequence: null,
      lastSequence: null,
      events: 1,
    });
  });
}

/**
 * Moves the stream's cursor back so events from `fromSequence` on are delivered again, in order
 * (receivers see the same webhook-id for an event they already have). Forward moves are refused:
 * skipping events is not something a receiver could notice from the stream alone.
 */
export async function redeliverAuditEvents(
  ctx: RequestContext,
  streamId: string,
  fromSequence: number,
): Promise<AuditStream> {
  return ctx.db.transaction(async (tx) => {
    const stream = await streamOf(ctx, tx, streamId);
    if (!Number.isInteger(fromSequence) || fromSequence < 1 || fromSequence > stream.deliveredSequence + 1) {
      throw AppError.badInput(
        'fromSequence',
        `Choose a sequence from 1 to ${stream.deliveredSequence + 1}: later events are still to be delivered.`,
      );
    }
    const resumed = stream.status === 'PAUSED' ? {} : { status: 'ACTIVE' as const, failures: 0, failingSince: null };
    await tx.update(
      AuditStreamEntity,
      { id: stream.id },
      { deliveredSequence: fromSequence - 1, nextAttemptAt: new Date(), ...resumed },
    );
    await record(ctx, tx, {
      category: 'SETTING_UPDATES',
      action: 'auditStream.redeliveryRequested',
      target: target(stream),
      changes: { deliveredSequence: { before: stream.deliveredSequence, after: fromSequence - 1 } },
    });
    await enqueueDelivery(tx, stream.id);
    return AuditStream.from(await tx.findOneByOrFail(AuditStreamEntity, { id: stream.id }));
  });
}
