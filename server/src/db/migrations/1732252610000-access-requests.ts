import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Access requests: a member asks for a tenant role, or a role in a workspace, for a while and
 * says why; someone who could grant it approves (for the time asked or less) or denies. One
 * pending request per member, role and place, kept by a partial unique index.
 */
export class AccessRequests1732252610000 implements MigrationInterface {
  name = 'AccessRequests1732252610000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE access_requests (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        requester_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        role_id text NOT NULL REFERENCES roles(id) ON DELETE CASCADE,
        workspace_id uuid REFERENCES workspaces(id) ON DELETE CASCADE,
        duration_minutes integer NOT NULL CHECK (duration_minutes > 0),
        reason text NOT NULL,
        status text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'APPROVED', 'DENIED')),
        decided_by uuid REFERENCES users(id) ON DELETE SET NULL,
        decided_at timestamptz,
        decision_comment text,
        granted_until timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX access_requests_organization_idx ON access_requests (organization_id, status, created_at DESC);
      CREATE UNIQUE INDEX access_requests_one_pending_key ON access_requests
        (requester_id, organization_id, role_id, coalesce(workspace_id, '00000000-0000-0000-0000-000000000000'))
        WHERE status = 'PENDING';
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE access_requests');
  }
}
