import { MigrationInterface, QueryRunner } from 'typeorm';

export class Foundation1732250000000 implements MigrationInterface {
  name = 'Foundation1732250000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE organizations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind text NOT NULL DEFAULT 'HUMAN' CHECK (kind IN ('HUMAN', 'SERVICE_ACCOUNT')),
        email text,
        username text,
        first_name text NOT NULL DEFAULT '',
        last_name text NOT NULL DEFAULT '',
        password_hash text,
        theme text NOT NULL DEFAULT 'SYSTEM' CHECK (theme IN ('LIGHT', 'DARK', 'SYSTEM')),
        password_changed_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (kind = 'SERVICE_ACCOUNT' OR email IS NOT NULL),
        CHECK (email = lower(email)),
        CHECK (username ~ '^[a-z0-9._-]{3,32}$')
      );
      CREATE UNIQUE INDEX users_email_key ON users (email);
      CREATE UNIQUE INDEX users_username_key ON users (username);

      CREATE TABLE roles (
        id text PRIMARY KEY,
        organization_id uuid REFERENCES organizations(id) ON DELETE CASCADE,
        name text NOT NULL,
        description text NOT NULL DEFAULT '',
        scope text NOT NULL CHECK (scope IN ('TENANT', 'WORKSPACE')),
        permissions text[] NOT NULL DEFAULT '{}',
        built_in boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (built_in = (organization_id IS NULL))
      );
      CREATE UNIQUE INDEX roles_organization_name_key ON roles (organization_id, lower(name));
      INSERT INTO roles (id, name, scope, built_in) VALUES
        ('admin', 'Admin', 'TENANT', true),
        ('builder', 'Builder', 'TENANT', true),
        ('consumer', 'Consumer', 'TENANT', true),
        ('owner', 'Owner', 'WORKSPACE', true),
        ('contributor', 'Contributor', 'WORKSPACE', true),
        ('viewer', 'Viewer', 'WORKSPACE', true);

      CREATE TABLE memberships (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        role_id text NOT NULL REFERENCES roles(id),
        status text NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'INACTIVE')),
        last_active_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (organization_id, user_id)
      );
      CREATE INDEX memberships_user_idx ON memberships (user_id);

      CREATE TABLE sessions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        token_hash bytea NOT NULL UNIQUE,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        ip text,
        user_agent text,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_seen_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz
      );
      CREATE INDEX sessions_user_idx ON sessions (user_id) WHERE revoked_at IS NULL;

      -- Sign-in attempts per account and per IP, counted with one atomic upsert so that
      -- parallel attempts on several instances cannot slip past the limit.
      CREATE TABLE sign_in_throttle (
        key text PRIMARY KEY,
        attempts integer NOT NULL,
        window_started_at timestamptz NOT NULL
      );

      CREATE TABLE audit_chain_heads (
        chain_id uuid PRIMARY KEY,
        last_sequence bigint NOT NULL DEFAULT 0,
        last_hash text NOT NULL
      );

      CREATE TABLE audit_events (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid REFERENCES organizations(id) ON DELETE CASCADE,
        sequence bigint NOT NULL,
        occurred_at timestamptz NOT NULL,
        category text NOT NULL CHECK (category IN ('USER_ACTIONS', 'SETTING_UPDATES', 'SYSTEM_CONFIGURATION')),
        action text NOT NULL,
        outcome text NOT NULL CHECK (outcome IN ('SUCCESS', 'FAILURE')),
        failure_reason text,
        actor_type text NOT NULL CHECK (actor_type IN ('USER', 'SERVICE_ACCOUNT', 'API_KEY', 'SYSTEM', 'ANONYMOUS')),
        actor_id uuid,
        actor_name text,
        api_key_id uuid,
        target_type text,
        target_id text,
        target_name text,
        workspace_id uuid,
        ip text,
        user_agent text,
        request_id text,
        changes jsonb,
        previous_hash text NOT NULL,
        hash text NOT NULL
      );
      CREATE UNIQUE INDEX audit_events_chain_sequence_key
        ON audit_events (coalesce(organization_id, '00000000-0000-0000-0000-000000000000'::uuid), sequence);
      CREATE INDEX audit_events_org_time_idx ON audit_events (organization_id, occurred_at DESC, sequence DESC);
      CREATE INDEX audit_events_actor_idx ON audit_events (actor_id, occurred_at DESC);
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      DROP TABLE audit_events, audit_chain_heads, sign_in_throttle, sessions, memberships, roles, users, organizations;
    `);
  }
}
