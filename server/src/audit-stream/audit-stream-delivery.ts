import { type DataSource, type EntityManager, MoreThan } from 'typeorm';
import type { RequestContext } from '../kernel/context';
import { addJob, type JobDefinition } from '../kernel/jobs';
import { AuditEventEntity } from '../audit-log/audit-event.entity';
import { type AuditActor, record } from '../audit-log/audit-log.service';
import type { Transaction } from '../db/data-source';
import { queueEmail } from '../mail/mail.service';
import { AuditStreamEntity } from './audit-stream.entity';
import { type SendOutcome, sendToStream, streamedEvent } from './audit-stream-send';

/** One stream's delivery; committed audit events enqueue it too (migration 1732252700000-audit-stream-jobs). */
const DELIVER_JOB = 'auditStream.deliver';
/** Events read per pass of one stream; filtered-out ones only move the cursor. */
const SCAN_WINDOW = 500;
const BACKOFF_BASE_MS = 1000;
const BACKOFF_MAX_MS = 60 * 60 * 1000;
/** A stream failing this long without one success is paused, and its organization's Admins are told. */
export const PAUSE_AFTER_FAILING_MS = 24 * 60 * 60 * 1000;
const DELIVERIES_KEPT = 100;
/**
 * A job delivers for about this long, then queues the rest of its stream behind the other streams'
 * jobs: with more busy streams than worker slots, each waits about this long for a turn.
 */
const RUN_BUDGET_MS = 1000;
/** While another transaction holds the stream's row (another deliverer, an Admin's change), look again this soon. */
const BUSY_RETRY_MS = 1000;
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
    `SELECT u.email FROM memberships m JOIN users u ON u.id = m.user_id
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

const jobKey = (streamId: string) => `auditStream:${streamId}`;

/**
 * Enqueues the stream's delivery job in the caller's transaction, at `runAt` (default now). The job
 * key keeps one waiting job per stream: this moves it rather than adding another.
 */
export async function enqueueDelivery(
  manager: EntityManager | DataSource,
  streamId: string,
  runAt?: Date,
  preserveRunAt = false,
): Promise<void> {
  await addJob(manager, DELIVER_JOB, { streamId }, { jobKey: jobKey(streamId), runAt, preserveRunAt });
}

/**
 * Sends the next request of one locked stream (its next matching events, in sequence order) and
 * moves the cursor past what the receiver accepted and what the filters leave out. The caller's
 * transaction holds the stream's row lock during the request; one request per transaction means
 * that if this instance dies mid-request, the rollback resends only that request: the receiver
 * sees it twice at worst, never an older event after a newer one. Returns whether events may be
 * waiting still; after a failure, the retry is enqueued in this transaction, at the backoff's end.
 */
async function deliverStream(
  ctx: RequestContext,
  tx: Transaction,
  stream: AuditStreamEntity,
): Promise<'delivered' | 'caughtUp' | 'failed'> {
  const scanned = await tx.find(AuditEventEntity, {
    where: { organizationId: stream.organizationId, sequence: MoreThan(stream.deliveredSequence) },
    order: { sequence: 'ASC' },
    take: SCAN_WINDOW,
  });
  if (!scanned.length) return 'caughtUp';
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
    return 'delivered';
  }
  const failingSince = stream.failingSince ?? new Date();
  const failures = stream.failures + 1;
  const [[{ next_attempt_at: nextAttemptAt }]] = await tx.query(
    `UPDATE audit_streams SET delivered_sequence = $2, status = 'FAILING', failures = $3,
       failing_since = $4, last_error = $5, next_attempt_at = now() + make_interval(secs => $6::double precision / 1000)
     WHERE id = $1 RETURNING next_attempt_at`,
    [stream.id, cursor, failures, failingSince, failure.errorCode, backoffMs(failures)],
  );
  if (Date.now() - failingSince.getTime() >= PAUSE_AFTER_FAILING_MS) {
    await pause(ctx, tx, { ...stream, status: 'FAILING' }, failure.errorCode!);
  } else {
    await enqueueDelivery(tx, stream.id, nextAttemptAt);
  }
  return 'failed';
}

/**
 * One pass over a stream, in a transaction: `more` when it delivered and events may wait still,
 * `caughtUp` when none wait, `done` when the stream is paused or gone or its next attempt is
 * enqueued, `busy` when another transaction holds its row.
 */
async function deliveryPass(
  ctx: RequestContext,
  tx: Transaction,
  streamId: string,
  started: number,
): Promise<'more' | 'caughtUp' | 'done' | 'busy'> {
  const [row] = await tx.query(
    `SELECT next_attempt_at > now() AS later FROM audit_streams WHERE id = $1 AND status <> 'PAUSED'
        FOR UPDATE SKIP LOCKED`,
    [streamId],
  );
  if (!row) {
    const [live] = await tx.query(`SELECT 1 FROM audit_streams WHERE id = $1 AND status <> 'PAUSED'`, [streamId]);
    return live ? 'busy' : 'done';
  }
  const stream = await tx.findOneByOrFail(AuditStreamEntity, { id: streamId });
  // Woken by a new event during a failing stream's backoff (the job of a stream resumed or rewound runs at once).
  if (row.later) {
    await enqueueDelivery(tx, streamId, stream.nextAttemptAt);
    return 'done';
  }
  const delivered = await deliverStream(ctx, tx, stream);
  if (delivered === 'caughtUp') return 'caughtUp';
  if (delivered === 'failed') return 'done';
  if (Date.now() - started < RUN_BUDGET_MS) return 'more';
  await enqueueDelivery(tx, streamId);
  return 'done';
}

/**
 * The `auditStream.deliver` job: delivers one stream until it is caught up, one request per
 * transaction. The stream's row lock, taken with SKIP LOCKED, is what makes its deliverer unique
 * across instances and jobs; a job that finds it held enqueues itself again shortly, so an event
 * committed while another deliverer was finishing is not left waiting. A deliverer that dies
 * mid-request loses its lock with its connection, and the request is sent again.
 */
export async function deliverAuditStream(ctx: RequestContext, streamId: string): Promise<void> {
  const started = Date.now();
  for (;;) {
    const pass = await ctx.db.transaction((tx) => deliveryPass(ctx, tx, streamId, started));
    if (pass === 'busy') return enqueueDelivery(ctx.db, streamId, new Date(Date.now() + BUSY_RETRY_MS));
    if (pass === 'caughtUp') {
      // A job that found this one busy waits for its retry: events it came for may have been
      // committed after the last pass looked, so it runs now rather than in a second.
      const [waiting] = await ctx.db.query(
        `SELECT 1 FROM graphile_worker.jobs WHERE key = $1 AND locked_at IS NULL AND run_at > now()`,
        [jobKey(streamId)],
      );
      if (waiting) await enqueueDelivery(ctx.db, streamId);
    }
    if (pass !== 'more') return;
  }
}

/**
 * The `auditStream.sweep` cron job: enqueues the delivery of every live stream with events past its
 * cursor that has no job waiting. Committed events enqueue their streams' jobs themselves; this
 * catches a stream whose running job's instance died (graphile-worker leaves that job locked for
 * hours) with no event since, and streams left from before delivery became a job.
 */
export async function enqueueWaitingStreams(db: DataSource): Promise<void> {
  const streams: { id: string; next_attempt_at: Date }[] = await db.query(
    `SELECT s.id, s.next_attempt_at FROM audit_streams s
      WHERE s.status <> 'PAUSED'
        AND EXISTS (SELECT 1 FROM audit_events e
                     WHERE e.organization_id = s.organization_id AND e.sequence > s.delivered_sequence)`,
  );
  for (const stream of streams) await enqueueDelivery(db, stream.id, stream.next_attempt_at, true);
}

export const AUDIT_STREAM_JOBS: JobDefinition[] = [
  {
    name: DELIVER_JOB,
    handler: (payload: { streamId: string }, ctx) => deliverAuditStream(ctx, payload.streamId),
  },
  { name: 'auditStream.sweep', cron: '* * * * *', handler: (_payload, ctx) => enqueueWaitingStreams(ctx.db) },
];
