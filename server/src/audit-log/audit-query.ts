import type { DataSource } from 'typeorm';
import { AUDIT_VERIFY_MAX_EVENTS } from '@gatehouse/shared';
import {
  DEFAULT_PAGE_SIZE,
  containsPattern,
  decodeCursor,
  encodeCursor,
  toPage,
  type Page,
} from '../kernel/connection';
import { AppError } from '../errors/app-error';
import { AuditEventEntity } from './audit-event.entity';
import { GENESIS_HASH, hashAuditEvent, retentionAnchorMac, sameMac } from './audit-chain';
import type { AuditEventFilter } from './audit-log.inputs';
import type { AuditEvent, AuditVerification } from './audit-log.types';

interface AuditRow {
  id: string;
  sequence: string;
  occurred_at: Date;
  /** occurred_at as PostgreSQL prints it: exact to the microsecond, unlike a JS Date. */
  position: string;
  category: AuditEvent['category'];
  action: string;
  outcome: AuditEvent['outcome'];
  failure_reason: string | null;
  actor_type: AuditEvent['actor']['type'];
  actor_id: string | null;
  actor_name: string | null;
  api_key_id: string | null;
  target_type: string | null;
  target_id: string | null;
  target_name: string | null;
  workspace_id: string | null;
  ip: string | null;
  user_agent: string | null;
  request_id: string | null;
  changes: AuditEvent['changes'];
  hash: string;
  previous_hash: string;
}

function eventFromRow(row: AuditRow): AuditEvent {
  return {
    id: row.id,
    sequence: Number(row.sequence),
    occurredAt: row.occurred_at,
    category: row.category,
    action: row.action,
    outcome: row.outcome,
    failureReason: row.failure_reason,
    actor: { type: row.actor_type, id: row.actor_id, name: row.actor_name, apiKeyId: row.api_key_id },
    target:
      row.target_type && row.target_id ? { type: row.target_type, id: row.target_id, name: row.target_name } : null,
    workspaceId: row.workspace_id,
    ip: row.ip,
    userAgent: row.user_agent,
    requestId: row.request_id,
    changes: row.changes,
    hash: row.hash,
    previousHash: row.previous_hash,
  };
}

/**
 * Conditions built only for the filters given, so that each query is planned with just the
 * index it needs: every filter has an index led by (organization_id, <column>) and followed by
 * the page order (occurred_at DESC, sequence DESC), which keeps a deep page as cheap as the first.
 */
function whereClause(organizationId: string, filter: AuditEventFilter | undefined, after: (string | number)[] | null) {
  const params: unknown[] = [organizationId];
  const conditions = ['organization_id = $1'];
  const add = (sql: (p: string) => string, value: unknown) => {
    params.push(value);
    conditions.push(sql(`$${params.length}`));
  };
  if (filter?.categories?.length) add((p) => `category = ANY(${p}::text[])`, filter.categories);
  if (filter?.actions?.length) add((p) => `action = ANY(${p}::text[])`, filter.actions);
  if (filter?.actorId) add((p) => `actor_id = ${p}::uuid`, filter.actorId);
  if (filter?.targetId) add((p) => `target_id = ${p}`, filter.targetId);
  if (filter?.workspaceId) add((p) => `workspace_id = ${p}::uuid`, filter.workspaceId);
  if (filter?.outcome) add((p) => `outcome = ${p}`, filter.outcome);
  if (filter?.from) add((p) => `occurred_at >= ${p}`, filter.from);
  if (filter?.to) add((p) => `occurred_at < ${p}`, filter.to);
  if (filter?.afterSequence !== undefined && filter.afterSequence !== null) {
    add((p) => `sequence > ${p}`, filter.afterSequence);
  }
  const search = filter?.search?.trim();
  if (search) {
    add(
      (p) =>
        `(action ILIKE ${p} OR actor_name ILIKE ${p} OR target_name ILIKE ${p} OR target_id ILIKE ${p} ` +
        `OR ip ILIKE ${p} OR request_id ILIKE ${p})`,
      containsPattern(search),
    );
  }
  if (after) {
    params.push(String(after[0]), Number(after[1]));
    conditions.push(`(occurred_at, sequence) < ($${params.length - 1}::timestamptz, $${params.length})`);
  }
  return { sql: conditions.join(' AND '), params };
}

/** One page of an organization's events, newest first, by keyset on (occurred_at, sequence). */
export async function queryAuditEvents(
  db: DataSource,
  organizationId: string,
  filter: AuditEventFilter | undefined,
  first: number = DEFAULT_PAGE_SIZE,
  afterCursor?: string,
): Promise<Page<AuditEvent>> {
  const after = afterCursor ? decodeCursor(afterCursor, 2) : null;
  if (after && (Number.isNaN(Date.parse(String(after[0]))) || !Number.isInteger(after[1]))) {
    throw AppError.badInput('after', 'The cursor is not valid.');
  }
  if (filter?.from && filter.to && filter.from >= filter.to) {
    throw AppError.badInput('to', 'The end of the time range must be after its start.');
  }
  const where = whereClause(organizationId, filter, after);
  const rows: AuditRow[] = await db.query(
    `SELECT *, occurred_at::text AS position FROM audit_events WHERE ${where.sql}
     ORDER BY occurred_at DESC, sequence DESC LIMIT ${first + 1}`,
    where.params,
  );
  const positions = new Map(rows.map((row) => [row.id, row.position]));
  return toPage(
    rows.map(eventFromRow),
    first,
    (event) => encodeCursor([positions.get(event.id)!, event.sequence]),
    afterCursor,
  );
}

const VERIFY_BATCH = 5000;

interface ChainBounds {
  newest: number | null;
  head_hash: string | null;
  trimmed_through: string | null;
  trimmed_hash: string | null;
  anchor_mac: string | null;
}

/**
 * Where the chain starts: sequence 1 after the genesis hash, or, once retention has removed the
 * oldest events, just after its anchor. An anchor whose MAC does not match was not written by
 * retention, so the chain is checked from 1 and a deleted head shows as broken there.
 */
function chainStart(
  key: Buffer,
  organizationId: string,
  bounds: ChainBounds,
): { sequence: number; previousHash: string } {
  const through = Number(bounds.trimmed_through ?? 0);
  if (
    through > 0 &&
    sameMac(bounds.anchor_mac, retentionAnchorMac(key, organizationId, through, bounds.trimmed_hash!))
  ) {
    return { sequence: through + 1, previousHash: bounds.trimmed_hash! };
  }
  return { sequence: 1, previousHash: GENESIS_HASH };
}

/**
 * Recomputes each event's keyed hash and its link to the previous event, in batches, and names
 * the first sequence where either fails. A missing event is broken at its sequence, the oldest
 * ones included (the chain starts at 1 or at the retention anchor); the newest must match the
 * chain head. firstSequence and lastSequence report the events actually seen, so a collector can
 * compare them with what it saw before: deleting the newest events and rewinding the head, both
 * in the database, is only visible from outside it.
 */
export async function verifyChain(
  db: DataSource,
  key: Buffer,
  organizationId: string,
  fromSequence?: number,
  toSequence?: number,
): Promise<AuditVerification> {
  const [bounds]: ChainBounds[] = await db.query(
    `SELECT h.last_sequence::int AS newest, h.last_hash AS head_hash, h.trimmed_through, h.trimmed_hash, h.anchor_mac
       FROM (SELECT 1) one LEFT JOIN audit_chain_heads h ON h.chain_id = $1`,
    [organizationId],
  );
  const start = chainStart(key, organizationId, bounds);
  // Events before the start were removed by retention: there is nothing left to check there.
  const from = Math.max(fromSequence ?? start.sequence, start.sequence);
  const to = toSequence ?? Math.min(bounds.newest ?? 0, from + AUDIT_VERIFY_MAX_EVENTS - 1);
  if (to < from) {
    if (toSequence !== undefined && toSequence < (fromSequence ?? 1)) {
      throw AppError.badInput('toSequence', 'toSequence must not be before fromSequence.');
    }
    const nothing = { firstBrokenSequence: null, fromSequence: null, toSequence: null };
    return { ok: true, checkedCount: 0, ...nothing, firstSequence: null, lastSequence: null };
  }
  if (to - from + 1 > AUDIT_VERIFY_MAX_EVENTS) {
    throw AppError.badInput(
      'toSequence',
      `Verify at most ${AUDIT_VERIFY_MAX_EVENTS.toLocaleString('en')} events per call, then continue from the next.`,
    );
  }
  const repository = db.getRepository(AuditEventEntity);
  let previousHash: string | null = start.previousHash;
  if (from > start.sequence) {
    const previous = await repository.findOneBy({ organizationId, sequence: from - 1 });
    previousHash = previous?.hash ?? null;
  }
  let expected = from;
  let checkedCount = 0;
  let firstSequence: number | null = null;
  let lastSequence: number | null = null;
  const result = (firstBrokenSequence: number | null) => ({
    ok: firstBrokenSequence === null,
    checkedCount,
    firstBrokenSequence,
    fromSequence: from,
    toSequence: to,
    firstSequence,
    lastSequence,
  });
  while (expected <= to) {
    const batch: AuditEventEntity[] = await repository
      .createQueryBuilder('e')
      .where('e.organization_id = :organizationId AND e.sequence BETWEEN :low AND :high', {
        organizationId,
        low: expected,
        high: Math.min(to, expected + VERIFY_BATCH - 1),
      })
      .orderBy('e.sequence', 'ASC')
      .getMany();
    if (batch.length) {
      firstSequence ??= batch[0].sequence;
      lastSequence = batch[batch.length - 1].sequence;
    }
    for (const event of batch) {
      if (event.sequence !== expected) return result(expected);
      const linked = previousHash === null || event.previousHash === previousHash;
      if (!linked || hashAuditEvent(key, event) !== event.hash) return result(event.sequence);
      previousHash = event.hash;
      expected += 1;
      checkedCount += 1;
    }
    if (batch.length === 0) return result(expected);
  }
  if (to === bounds.newest && previousHash !== bounds.head_hash) return result(to);
  return result(null);
}

/** What a person's security log shows: sign-ins, failures and changes to their credentials and sessions. */
export const SECURITY_LOG_ACTIONS = [
  'user.signedUp',
  'user.signedIn',
  'user.signedInWithSso',
  'user.signInFailed',
  'user.signedOut',
  'user.passwordChanged',
  'user.passwordChangeFailed',
  'user.passwordResetRequested',
  'user.passwordReset',
  'user.sessionEnded',
  'user.otherSessionsEnded',
  'user.twoFactorEnabled',
  'user.twoFactorDisabled',
];

/**
 * One person's security events across all their organizations, newest first. Sequences are
 * per organization, so the keyset here is (occurred_at, id).
 */
export async function queryUserSecurityEvents(
  db: DataSource,
  userId: string,
  first: number = DEFAULT_PAGE_SIZE,
  afterCursor?: string,
): Promise<Page<AuditEvent>> {
  const after = afterCursor ? decodeCursor(afterCursor, 2) : null;
  if (after && Number.isNaN(Date.parse(String(after[0])))) throw AppError.badInput('after', 'The cursor is not valid.');
  const rows: AuditRow[] = await db.query(
    `SELECT *, occurred_at::text AS position FROM audit_events
      WHERE target_type = 'user' AND target_id = $1 AND action = ANY($2::text[])
        AND ($3::timestamptz IS NULL OR (occurred_at, id) < ($3::timestamptz, $4::uuid))
      ORDER BY occurred_at DESC, id DESC LIMIT ${first + 1}`,
    [userId, SECURITY_LOG_ACTIONS, after ? String(after[0]) : null, after ? String(after[1]) : null],
  );
  const positions = new Map(rows.map((row) => [row.id, row.position]));
  return toPage(
    rows.map(eventFromRow),
    first,
    (event) => encodeCursor([positions.get(event.id)!, event.id]),
    afterCursor,
  );
}
