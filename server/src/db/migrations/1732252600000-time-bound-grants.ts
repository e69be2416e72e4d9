import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Time-bound grants. A tenant role or a direct workspace role may be held until a time, after
 * which the role it replaced (`base_role_id`, null for none) applies again; a group membership
 * may end at a time. Permission checks read the `current_*` views (and MembershipEntity reverts on load), which apply an expiry the
 * moment it passes, before the cleanup job has written it back; the keep-an-Admin and
 * keep-an-Owner invariants count permanent grants only, since a time-bound one will lapse alone.
 */
export class TimeBoundGrants1732252600000 implements MigrationInterface {
  name = 'TimeBoundGrants1732252600000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE memberships
        ADD COLUMN role_expires_at timestamptz,
        ADD COLUMN base_role_id text REFERENCES roles(id),
        ADD CONSTRAINT memberships_base_role_with_expiry CHECK ((base_role_id IS NULL) = (role_expires_at IS NULL));
      CREATE INDEX memberships_role_expires_at_idx ON memberships (role_expires_at) WHERE role_expires_at IS NOT NULL;

      ALTER TABLE workspace_members
        ADD COLUMN expires_at timestamptz,
        ADD COLUMN base_role_id text REFERENCES roles(id) ON DELETE SET NULL,
        ADD CONSTRAINT workspace_members_base_role_needs_expiry CHECK (base_role_id IS NULL OR expires_at IS NOT NULL);
      CREATE INDEX workspace_members_expires_at_idx ON workspace_members (expires_at) WHERE expires_at IS NOT NULL;

      ALTER TABLE group_members ADD COLUMN expires_at timestamptz;
      CREATE INDEX group_members_expires_at_idx ON group_members (expires_at) WHERE expires_at IS NOT NULL;

      CREATE VIEW current_memberships AS
        SELECT id, organization_id, user_id, status, last_active_at, created_at, updated_at,
               CASE WHEN role_expires_at IS NULL OR role_expires_at > now() THEN role_id ELSE base_role_id END AS role_id,
               CASE WHEN role_expires_at > now() THEN role_expires_at END AS role_expires_at,
               CASE WHEN role_expires_at > now() THEN base_role_id END AS base_role_id
        FROM memberships;

      CREATE VIEW current_workspace_members AS
        SELECT id, workspace_id, organization_id, user_id, group_id,
               CASE WHEN expires_at IS NULL OR expires_at > now() THEN role_id ELSE base_role_id END AS role_id,
               CASE WHEN expires_at IS NULL OR expires_at > now() THEN expires_at END AS expires_at,
               created_at
        FROM workspace_members
        WHERE expires_at IS NULL OR expires_at > now() OR base_role_id IS NOT NULL;

      CREATE VIEW current_group_members AS
        SELECT group_id, user_id, organization_id, expires_at, created_at
        FROM group_members WHERE expires_at IS NULL OR expires_at > now();

      DROP TRIGGER memberships_keep_admin_update ON memberships;
      DROP TRIGGER memberships_keep_admin_delete ON memberships;
      CREATE OR REPLACE FUNCTION memberships_keep_admin() RETURNS trigger AS $$
      BEGIN
        PERFORM 1 FROM organizations WHERE id = OLD.organization_id FOR UPDATE;
        IF NOT FOUND THEN
          RETURN NULL;
        END IF;
        IF EXISTS (SELECT 1 FROM memberships WHERE organization_id = OLD.organization_id)
           AND NOT EXISTS (SELECT 1 FROM memberships
                           WHERE organization_id = OLD.organization_id AND role_id = 'admin' AND status = 'ACTIVE'
                             AND role_expires_at IS NULL) THEN
          RAISE EXCEPTION 'an organization needs an active Admin' USING ERRCODE = 'check_violation',
            CONSTRAINT = 'memberships_keep_admin';
        END IF;
        RETURN NULL;
      END $$ LANGUAGE plpgsql;
      CREATE TRIGGER memberships_keep_admin_update AFTER UPDATE OF role_id, status, role_expires_at ON memberships
        FOR EACH ROW WHEN (OLD.role_id = 'admin' AND OLD.status = 'ACTIVE' AND OLD.role_expires_at IS NULL)
        EXECUTE FUNCTION memberships_keep_admin();
      CREATE TRIGGER memberships_keep_admin_delete AFTER DELETE ON memberships
        FOR EACH ROW WHEN (OLD.role_id = 'admin' AND OLD.status = 'ACTIVE' AND OLD.role_expires_at IS NULL)
        EXECUTE FUNCTION memberships_keep_admin();

      DROP TRIGGER workspace_members_keep_owner_update ON workspace_members;
      DROP TRIGGER workspace_members_keep_owner_delete ON workspace_members;
      CREATE OR REPLACE FUNCTION workspace_members_keep_owner() RETURNS trigger AS $$
      BEGIN
        PERFORM 1 FROM workspaces WHERE id = OLD.workspace_id FOR UPDATE;
        IF NOT FOUND THEN
          RETURN NULL;
        END IF;
        IF NOT EXISTS (SELECT 1 FROM workspace_members wm JOIN users u ON u.id = wm.user_id
                       WHERE wm.workspace_id = OLD.workspace_id AND wm.role_id = 'owner' AND u.kind = 'HUMAN'
                         AND wm.expires_at IS NULL) THEN
          RAISE EXCEPTION 'a workspace needs an Owner' USING ERRCODE = 'check_violation',
            CONSTRAINT = 'workspace_members_keep_owner';
        END IF;
        RETURN NULL;
      END $$ LANGUAGE plpgsql;
      CREATE TRIGGER workspace_members_keep_owner_update AFTER UPDATE OF role_id, expires_at ON workspace_members
        FOR EACH ROW WHEN (OLD.role_id = 'owner' AND OLD.user_id IS NOT NULL AND OLD.expires_at IS NULL)
        EXECUTE FUNCTION workspace_members_keep_owner();
      CREATE TRIGGER workspace_members_keep_owner_delete AFTER DELETE ON workspace_members
        FOR EACH ROW WHEN (OLD.role_id = 'owner' AND OLD.user_id IS NOT NULL AND OLD.expires_at IS NULL)
        EXECUTE FUNCTION workspace_members_keep_owner();
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      DROP VIEW current_memberships, current_workspace_members, current_group_members;
      ALTER TABLE memberships DROP COLUMN role_expires_at, DROP COLUMN base_role_id;
      ALTER TABLE workspace_members DROP COLUMN expires_at, DROP COLUMN base_role_id;
      ALTER TABLE group_members DROP COLUMN expires_at;
    `);
  }
}
