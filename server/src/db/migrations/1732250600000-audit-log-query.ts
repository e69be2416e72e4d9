import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One index per audit-log filter, each led by the organization and ending in the page order,
 * so a filtered page deep in a large organization reads only the rows it returns. Per-organization
 * retention lives on the organization.
 */
export class AuditLogQuery1732250600000 implements MigrationInterface {
  name = 'AuditLogQuery1732250600000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      DROP INDEX audit_events_actor_idx;
      CREATE INDEX audit_events_org_category_idx ON audit_events (organization_id, category, occurred_at DESC, sequence DESC);
      CREATE INDEX audit_events_org_action_idx ON audit_events (organization_id, action, occurred_at DESC, sequence DESC);
      CREATE INDEX audit_events_org_actor_idx ON audit_events (organization_id, actor_id, occurred_at DESC, sequence DESC);
      CREATE INDEX audit_events_org_target_idx ON audit_events (organization_id, target_id, occurred_at DESC, sequence DESC);
      CREATE INDEX audit_events_org_workspace_idx ON audit_events (organization_id, workspace_id, occurred_at DESC, sequence DESC)
        WHERE workspace_id IS NOT NULL;
      CREATE INDEX audit_events_org_sequence_idx ON audit_events (organization_id, sequence);

      ALTER TABLE organizations
        ADD COLUMN audit_retention_days integer NOT NULL DEFAULT 365 CHECK (audit_retention_days BETWEEN 1 AND 3650);
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE organizations DROP COLUMN audit_retention_days;
      DROP INDEX audit_events_org_sequence_idx, audit_events_org_workspace_idx, audit_events_org_target_idx,
        audit_events_org_actor_idx, audit_events_org_action_idx, audit_events_org_category_idx;
      CREATE INDEX audit_events_actor_idx ON audit_events (actor_id, occurred_at DESC);
    `);
  }
}
