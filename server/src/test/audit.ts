import type { DataSource } from 'typeorm';

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
