import { MigrationInterface, QueryRunner } from 'typeorm';

export class Access1732250500000 implements MigrationInterface {
  name = 'Access1732250500000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE groups (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
        description text NOT NULL DEFAULT '' CHECK (length(description) <= 256),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX groups_organization_name_key ON groups (organization_id, lower(name));

      CREATE TABLE group_members (
        group_id uuid NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        organization_id uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (group_id, user_id)
      );
      CREATE INDEX group_members_user_idx ON group_members (user_id, organization_id);

      -- A service account is a users row (kind SERVICE_ACCOUNT) that lives in one organization.
      CREATE TABLE service_accounts (
        user_id uuid PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
        description text NOT NULL DEFAULT '' CHECK (length(description) <= 256),
        created_by uuid REFERENCES users(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX service_accounts_organization_name_key ON service_accounts (organization_id, lower(name));

      CREATE TABLE workspaces (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
        description text NOT NULL DEFAULT '' CHECK (length(description) <= 256),
        created_by uuid REFERENCES users(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX workspaces_organization_name_key ON workspaces (organization_id, lower(name));

      -- A workspace role held by exactly one principal: a user (or service account) or a group.
      CREATE TABLE workspace_members (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        organization_id uuid NOT NULL,
        user_id uuid REFERENCES users(id) ON DELETE CASCADE,
        group_id uuid REFERENCES groups(id) ON DELETE CASCADE,
        role_id text NOT NULL REFERENCES roles(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((user_id IS NULL) <> (group_id IS NULL))
      );
      CREATE UNIQUE INDEX workspace_members_user_key ON workspace_members (workspace_id, user_id) WHERE user_id IS NOT NULL;
      CREATE UNIQUE INDEX workspace_members_group_key ON workspace_members (workspace_id, group_id) WHERE group_id IS NOT NULL;
      CREATE INDEX workspace_members_user_idx ON workspace_members (user_id) WHERE user_id IS NOT NULL;
      CREATE INDEX workspace_members_group_idx ON workspace_members (group_id) WHERE group_id IS NOT NULL;

      CREATE TABLE invitations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        email text NOT NULL CHECK (email = lower(email)),
        -- Closed invitations do not keep a custom role alive; an open one does (the CHECK
        -- refuses the SET NULL that deleting its role would cause).
        role_id text REFERENCES roles(id) ON DELETE SET NULL,
        group_ids uuid[] NOT NULL DEFAULT '{}',
        workspace_roles jsonb NOT NULL DEFAULT '[]',
        token_hash bytea NOT NULL UNIQUE,
        invited_by uuid REFERENCES users(id) ON DELETE SET NULL,
        expires_at timestamptz NOT NULL,
        accepted_at timestamptz,
        cancelled_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (accepted_at IS NULL OR cancelled_at IS NULL),
        CONSTRAINT invitations_open_role CHECK (role_id IS NOT NULL OR accepted_at IS NOT NULL OR cancelled_at IS NOT NULL)
      );
      CREATE UNIQUE INDEX invitations_open_email_key ON invitations (organization_id, email)
        WHERE accepted_at IS NULL AND cancelled_at IS NULL;

      -- At least one ACTIVE Admin in every organization that has members. The organization row
      -- is locked first, so concurrent demotions on any instance are serialised and the second
      -- one sees the first (each plpgsql statement takes a fresh snapshot).
      CREATE FUNCTION memberships_keep_admin() RETURNS trigger AS $$
      BEGIN
        PERFORM 1 FROM organizations WHERE id = OLD.organization_id FOR UPDATE;
        IF NOT FOUND THEN
          RETURN NULL;
        END IF;
        IF EXISTS (SELECT 1 FROM memberships WHERE organization_id = OLD.organization_id)
           AND NOT EXISTS (SELECT 1 FROM memberships
                           WHERE organization_id = OLD.organization_id AND role_id = 'admin' AND status = 'ACTIVE') THEN
          RAISE EXCEPTION 'an organization needs an active Admin' USING ERRCODE = 'check_violation',
            CONSTRAINT = 'memberships_keep_admin';
        END IF;
        RETURN NULL;
      END $$ LANGUAGE plpgsql;

      CREATE TRIGGER memberships_keep_admin_update AFTER UPDATE OF role_id, status ON memberships
        FOR EACH ROW WHEN (OLD.role_id = 'admin' AND OLD.status = 'ACTIVE')
        EXECUTE FUNCTION memberships_keep_admin();
      CREATE TRIGGER memberships_keep_admin_delete AFTER DELETE ON memberships
        FOR EACH ROW WHEN (OLD.role_id = 'admin' AND OLD.status = 'ACTIVE')
        EXECUTE FUNCTION memberships_keep_admin();

      -- At least one Owner that is a person in every workspace, serialised on the workspace row.
      CREATE FUNCTION workspace_members_keep_owner() RETURNS trigger AS $$
      BEGIN
        PERFORM 1 FROM workspaces WHERE id = OLD.workspace_id FOR UPDATE;
        IF NOT FOUND THEN
          RETURN NULL;
        END IF;
        IF NOT EXISTS (SELECT 1 FROM workspace_members wm JOIN users u ON u.id = wm.user_id
                       WHERE wm.workspace_id = OLD.workspace_id AND wm.role_id = 'owner' AND u.kind = 'HUMAN') THEN
          RAISE EXCEPTION 'a workspace needs an Owner' USING ERRCODE = 'check_violation',
            CONSTRAINT = 'workspace_members_keep_owner';
        END IF;
        RETURN NULL;
      END $$ LANGUAGE plpgsql;

      CREATE TRIGGER workspace_members_keep_owner_update AFTER UPDATE OF role_id ON workspace_members
        FOR EACH ROW WHEN (OLD.role_id = 'owner' AND OLD.user_id IS NOT NULL)
        EXECUTE FUNCTION workspace_members_keep_owner();
      CREATE TRIGGER workspace_members_keep_owner_delete AFTER DELETE ON workspace_members
        FOR EACH ROW WHEN (OLD.role_id = 'owner' AND OLD.user_id IS NOT NULL)
        EXECUTE FUNCTION workspace_members_keep_owner();
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      DROP TABLE invitations, workspace_members, workspaces, service_accounts, group_members, groups;
      DROP TRIGGER memberships_keep_admin_update ON memberships;
      DROP TRIGGER memberships_keep_admin_delete ON memberships;
      DROP FUNCTION memberships_keep_admin, workspace_members_keep_owner;
    `);
  }
}
