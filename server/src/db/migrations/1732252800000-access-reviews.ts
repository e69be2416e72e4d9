import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Access reviews: a snapshot of the removable grants of an organization (or one workspace), each
 * kept or removed by a reviewer; completing applies the removals. One open review per
 * organization and workspace at a time, kept by a partial unique index.
 */
export class AccessReviews1732252800000 implements MigrationInterface {
  name = 'AccessReviews1732252800000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE access_reviews (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        workspace_id uuid REFERENCES workspaces(id) ON DELETE CASCADE,
        status text NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN', 'COMPLETED')),
        started_by uuid REFERENCES users(id) ON DELETE SET NULL,
        started_at timestamptz NOT NULL DEFAULT now(),
        completed_by uuid REFERENCES users(id) ON DELETE SET NULL,
        completed_at timestamptz
      );
      CREATE INDEX access_reviews_organization_idx ON access_reviews (organization_id, started_at DESC);
      CREATE UNIQUE INDEX access_reviews_one_open_key ON access_reviews
        (organization_id, coalesce(workspace_id, '00000000-0000-0000-0000-000000000000'))
        WHERE status = 'OPEN';
      CREATE TABLE access_review_items (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        review_id uuid NOT NULL REFERENCES access_reviews(id) ON DELETE CASCADE,
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('TENANT_ROLE', 'WORKSPACE_ROLE', 'GROUP_MEMBERSHIP')),
        user_id uuid NOT NULL,
        principal_name text NOT NULL,
        role_id text,
        role_name text,
        workspace_id uuid,
        workspace_name text,
        group_id uuid,
        group_name text,
        expires_at timestamptz,
        decision text CHECK (decision IN ('KEEP', 'REMOVE')),
        decided_by uuid REFERENCES users(id) ON DELETE SET NULL,
        outcome text CHECK (outcome IN ('KEPT', 'REMOVED', 'REFUSED')),
        refused_because text
      );
      CREATE INDEX access_review_items_review_idx ON access_review_items (review_id, principal_name);
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE access_review_items; DROP TABLE access_reviews');
  }
}
