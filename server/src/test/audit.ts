import type { DataSource } from 'typeorm';
import { GENESIS_HASH, legacyHashAuditEvent } from '../audit-log/audit-chain';
import { AuditEventEntity } from '../audit-log/audit-event.entity';

export interface ExpectedAuditEvent {
  /**
   * The GraphQL mutation whose event this asserts. The audit coverage test reads these names
   * from the test sources, so a mutation without such an assertion fails the build.
   */
  mutation: string;
  organizationId: string | null;
  category: 'USER_ACTIONS' | 'SETTING_UPDATES' | 'SYSTEM_CONFIGURATION';
  action: string;
  actorId: string | null;
  targetId: string | null;
  outcome?: 'SUCCESS' | 'FAILURE';
}

/**
 * Asserts that the newest event with this action in the organization's chain (or the
 * organization-less chain) has the expected category, actor, target and outcome, and returns
 * the whole row for further checks (changes, workspace, request id).
 */
export async function expectAuditEvent(db: DataSource, expected: ExpectedAuditEvent): Promise<Record<string, any>> {
  const rows = await db.query(
    `SELECT * FROM audit_events
      WHERE organization_id IS NOT DISTINCT FROM $1 AND action = $2
        AND ($3::text IS NULL OR target_id = $3)
      ORDER BY sequence DESC LIMIT 1`,
    [expected.organizationId, expected.action, expected.targetId],
  );
  expect(rows).toHaveLength(1);
  const [event] = rows;
  expect({
    category: event.category,
    action: event.action,
    actorId: event.actor_id,
    targetId: event.target_id,
    outcome: event.outcome,
  }).toEqual({
    category: expected.category,
    action: expected.action,
    actorId: expected.actorId,
    targetId: expected.targetId,
    outcome: expected.outcome ?? 'SUCCESS',
  });
  return event;
}

/**
 * Rewrites an organization's chain from `fromSequence` on with plain SHA-256, the chain head
 * included, as someone with write access to the database but without the key could (and as the
 * unkeyed version of the server wrote it). `alter` changes an event before it is hashed.
 */
export async function rechainWithoutKey(
  db: DataSource,
  organizationId: string,
  fromSequence = 1,
  alter?: (event: AuditEventEntity) => void,
): Promise<void> {
  const events = await db
    .getRepository(AuditEventEntity)
    .find({ where: { organizationId }, order: { sequence: 'ASC' } });
  let previousHash = events.find((event) => event.sequence === fromSequence - 1)?.hash ?? GENESIS_HASH;
  for (const event of events.filter((e) => e.sequence >= fromSequence)) {
    alter?.(event);
    event.previousHash = previousHash;
    event.hash = legacyHashAuditEvent(event);
    previousHash = event.hash;
    await db.query('UPDATE audit_events SET actor_name = $2, previous_hash = $3, hash = $4 WHERE id = $1', [
      event.id,
      event.actorName,
      event.previousHash,
      event.hash,
    ]);
  }
  await db.query('UPDATE audit_chain_heads SET last_hash = $2 WHERE chain_id = $1', [organizationId, previousHash]);
}
