import { type DataSource, MoreThan } from 'typeorm';
import type { Config } from '../kernel/config';
import { createContext, type RequestContext } from '../kernel/context';
import { logger } from '../kernel/logger';
import { AuditEventEntity } from '../audit-log/audit-event.entity';
import { type AuditActor, record } from '../audit-log/audit-log.service';
import type { Transaction } from '../db/data-source';
import { queueEmail } from '../mail/mail.service';
import { AuditStreamEntity } from './audit-stream.entity';
import { type SendOutcome, sendToStream, streamedEvent } from './audit-stream-send';

/** Committed audit events of an organization with a live stream NOTIFY this channel (see the migration). */
export const AUDIT_STREAM_CHANNEL = 'gatehouse_audit_stream';
/** Events read per pass of one stream; filtered-out ones only move the cursor. */
const SCAN_WINDOW = 500;
const BACKOFF_BASE_MS = 1000;
const BACKOFF_MAX_MS = 60 * 60 * 1000;
/** A stream failing this long without one success is paused, and its organization's Admins are told. */
export const PAUSE_AFTER_FAILING_MS = 24 * 60 * 60 * 1000;
const DELIVERIES_KEPT = 100;
const SWEEP_MS = 30_000;
/** After a database error (a lost connection, say), try again soon rather than at the next sweep. */
const ERROR_RETRY_MS = 5_000;
const SYSTEM: AuditActor = { type: 'SYSTEM', id: null, name: 'Audit streaming' };

/** Exponential backoff with full jitter around the nominal delay, capped at an hour. */
export function backoffMs(failures: number): number {
  const nominal = Math.min(BACKOFF_BASE_MS * 2 ** Math.min(failures - 1, 30), BACKOFF_MAX_MS);
  return Math.round(nominal / 2 + Math.random() * nominal);
}

/** Keeps the last DELIVERIES_KEPT attempts of a stream: the delivery log the UI shows. */
export async function logDelivery(
  tx: Transaction,
  streamId: string,
  outcome: SendOutcome,
  extra: { test?: boolean; firstSequence?: number; lastSequence?: number; events: number },
): Promise<string> {
  const [row] = await tx.query(
    `INSERT INTO audit_stream_deliveries
       (stream_id, success, test, latency_ms, response_code, error_code, first_sequence, last_sequence, events)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
    [
      streamId,
      outcome.success,
      extra.test ?? false,
      outcome.latencyMs,
      outcome.responseCode,
      outcome.errorCode,
      extra.firstSequence ?? null,
      extra.lastSequence ?? null,
      extra.events,
    ],
  );
  await tx.query(
    `DELETE FROM audit_stream_deliveries WHERE stream_id = $1 AND id <= (
       SELECT id FROM audit_stream_deliveries WHERE stream_id = $1 ORDER BY id DESC OFFSET $2 LIMIT 1)`,
    [streamId, DELIVERIES_KEPT],
  );
  return String(row.id);
}

function matches(stream: AuditStreamEntity, event: AuditEventEntity): boolean {
  return (
    (!stream.categories.length || stream.categories.includes(event.category)) &&
    (!stream.actions.length || stream.actions.includes(event.action))
  );
}

/** A stream that failed for a day stops; its Admins learn why by email, and the log records it. */
async function pause(ctx: RequestContext, tx: Transaction, stream: AuditStreamEntity, errorCode: string) {
  await tx.update(AuditStreamEntity, { id: stream.id }, { status: 'PAUSED' });
  await record(ctx, tx, {
    organizationId: stream.organizationId,
    category: 'SETTING_UPDATES',
    action: 'auditStream.paused',
    actor: SYSTEM,
    outcome: 'FAILURE',
    failureReason: `Every delivery failed for 24 hours (last error: ${errorCode}).`,
    target: { type: 'auditStream', id: stream.id, name: stream.name },
    changes: { status: { before: stream.status, after: 'PAUSED' } },
  });
  const admins: { email: string }[] = await tx.query(
    `SELECT u.email FROM current_memberships m JOIN users u ON u.id = m.user_id
      WHERE m.organization_id = $1 AND m.role_id = 'admin' AND m.status = 'ACTIVE' AND u.email IS NOT NULL`,
    [stream.organizationId],
  );
  for (const { email } of admins) {
    await queueEmail(tx, {
      to: email,
      subject: `Audit stream "${stream.name}" was paused`,
      text:
        `Every delivery to the audit stream "${stream.name}" failed for 24 hours (last error: ${errorCode}), ` +
        'so it was paused. Its events are kept: fix the receiver, then resume the stream in ' +
        `Settings → Audit logs → Audit streams (${ctx.config.publicUrl}).`,
    });
  }
}

/**
 * Sends the next request of one locked stream (its next matching events, in sequence order) and
 * moves the cursor past what the receiver accepted and what the filters leave out. The caller's
 * transaction holds the stream's row lock during the request; one request per transaction means
 * that if this instance dies mid-request, the rollback resends only that request: the receiver
 * sees it twice at worst, never an older event after a newer one.
 */
async function deliverStream(ctx: RequestContext, tx: Transaction, stream: AuditStreamEntity): Promise<void> {
  const scanned = await tx.find(AuditEventEntity, {
    where: { organizationId: stream.organizationId, sequence: MoreThan(stream.deliveredSequence) },
    order: { sequence: 'ASC' },
    take: SCAN_WINDOW,
  });
  // Retention may have removed them since the stream was picked.
  if (!scanned.length) return;
  const wanted = scanned.filter((event) => matches(stream, event));
  const events = wanted.slice(0, stream.kind === 'WEBHOOK' ? 1 : stream.batchSize);
  let cursor = scanned[scanned.length - 1].sequence;
  let failure: SendOutcome | null = null;
  if (events.length) {
    const first = events[0].sequence;
    const last = events[events.length - 1].sequence;
    const messageId = stream.kind === 'WEBHOOK' ? events[0].id : `batch_${stream.id}_${first}-${last}`;
    const outcome = await sendToStream(ctx.config, stream, messageId, events.map(streamedEvent));
    await logDelivery(tx, stream.id, outcome, { firstSequence: first, lastSequence: last, events: events.length });
    if (!outcome.success) {
      failure = outcome;
      cursor = first - 1;
    } else if (events.length < wanted.length) {
      cursor = last;
    }
  }
  if (!failure) {
    await tx.query(
      `UPDATE audit_streams SET delivered_sequence = $2, status = 'ACTIVE', failures = 0, failing_since = NULL,
         last_error = NULL, next_attempt_at = now(), last_delivered_at = CASE WHEN $3 THEN now() ELSE last_delivered_at END
       WHERE id = $1`,
      [stream.id, cursor, events.length > 0],
    );
    return;
  }
  const failingSince = stream.failingSince ?? new Date();
  const failures = stream.failures + 1;
  await tx.query(
    `UPDATE audit_streams SET delivered_sequence = $2, status = 'FAILING', failures = $3,
       failing_since = $4, last_error = $5, next_attempt_at = now() + make_interval(secs => $6::double precision / 1000)
     WHERE id = $1`,
    [stream.id, cursor, failures, failingSince, failure.errorCode, backoffMs(failures)],
  );
  if (Date.now() - failingSince.getTime() >= PAUSE_AFTER_FAILING_MS) {
    await pause(ctx, tx, { ...stream, status: 'FAILING' }, failure.errorCode!);
  }
}

/**
 * Delivers every stream that has events waiting and is due, one request per transaction, the
 * stream just served going to the back of the queue. The row lock taken with SKIP LOCKED makes
 * each stream's deliverer unique across instances, while other instances move on to other
 * streams. Returns how many requests (or filter-only cursor moves) ran.
 */
export async function deliverAuditStreams(db: DataSource, config: Config): Promise<number> {
  const ctx = await createContext(
    { db, config, authenticator: { authenticate: async () => ({ auth: null, rejected: false }) } },
    {},
  );
  let passes = 0;
  for (;;) {
    const ran = await db.transaction(async (tx) => {
      const [due] = await tx.query(
        `SELECT s.id FROM audit_streams s
          WHERE s.status <> 'PAUSED' AND s.next_attempt_at <= now()
            AND EXISTS (SELECT 1 FROM audit_events e
                         WHERE e.organization_id = s.organization_id AND e.sequence > s.delivered_sequence)
          ORDER BY s.next_attempt_at LIMIT 1 FOR UPDATE OF s SKIP LOCKED`,
      );
      if (!due) return false;
      await deliverStream(ctx, tx, await tx.findOneByOrFail(AuditStreamEntity, { id: due.id }));
      return true;
    });
    if (!ran) return passes;
    passes++;
  }
}

/**
 * Runs deliveries when a committed event is announced, when a failing stream's backoff ends,
 * and every SWEEP_MS in any case (notifications sent while the listener reconnects are lost).
 * Returns a stop function that waits for a running pass.
 */
export function startAuditStreamDelivery(
  db: DataSource,
  config: Config,
  listener: { on(channel: string, handler: () => void): void; onReconnect(handler: () => void): void },
): () => Promise<void> {
  if (!config.auditStreamDelivery) return async () => {};
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const schedule = async () => {
    const [next] = await db.query(`SELECT min(next_attempt_at) AS at FROM audit_streams WHERE status = 'FAILING'`);
    const wait = next?.at ? Math.max(50, Math.min(SWEEP_MS, new Date(next.at).getTime() - Date.now())) : SWEEP_MS;
    clearTimeout(timer);
    if (!stopped) timer = setTimeout(run, wait).unref();
  };
  const run = () => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = deliverAuditStreams(db, config)
      .then(() => schedule())
      .catch((error: unknown) => {
        logger.error({ err: error }, 'audit stream delivery failed');
        if (!stopped) timer = setTimeout(run, ERROR_RETRY_MS).unref();
      })
      .finally(() => {
        running = null;
        if (again) {
          again = false;
          run();
        }
      });
  };
  listener.on(AUDIT_STREAM_CHANNEL, run);
  listener.onReconnect(run);
  run();
  return async () => {
    stopped = true;
    clearTimeout(timer);
    await running;
  };
}
