import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * SCIM 2.0 provisioning: per-organization bearer tokens (hashed like API keys), and which
 * members and groups an identity provider manages, with the externalId it knows them by.
 * Those rows go with their membership or group. SCIM tokens act in the audit log as themselves
 * (the audit log is append-only, so going down keeps their events: the old check is NOT VALID).
 */
export class Scim1732252400000 implements MigrationInterface {
  name = 'Scim1732252400000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE scim_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        name text NOT NULL,
        prefix text NOT NULL,
        last_four text NOT NULL,
        secret_hash bytea NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz,
        last_used_at timestamptz,
        CONSTRAINT scim_tokens_secret_hash_key UNIQUE (secret_hash)
      )`);
    await db.query('CREATE INDEX scim_tokens_organization_idx ON scim_tokens (organization_id)');
    await db.query(`
      CREATE TABLE scim_members (
        membership_id uuid PRIMARY KEY REFERENCES memberships(id) ON DELETE CASCADE,
        organization_id uuid NOT NULL,
        user_id uuid NOT NULL,
        external_id text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT scim_members_organization_user_key UNIQUE (organization_id, user_id)
      )`);
    await db.query(`
      CREATE TABLE scim_groups (
        group_id uuid PRIMARY KEY REFERENCES groups(id) ON DELETE CASCADE,
        organization_id uuid NOT NULL,
        external_id text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query('CREATE INDEX scim_groups_organization_idx ON scim_groups (organization_id)');
    await db.query('ALTER TABLE audit_events DROP CONSTRAINT audit_events_actor_type_check');
    await db.query(`ALTER TABLE audit_events ADD CONSTRAINT audit_events_actor_type_check
      CHECK (actor_type IN ('USER', 'SERVICE_ACCOUNT', 'API_KEY', 'SYSTEM', 'ANONYMOUS', 'SCIM_TOKEN'))`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('ALTER TABLE audit_events DROP CONSTRAINT audit_events_actor_type_check');
    await db.query(`ALTER TABLE audit_events ADD CONSTRAINT audit_events_actor_type_check
      CHECK (actor_type IN ('USER', 'SERVICE_ACCOUNT', 'API_KEY', 'SYSTEM', 'ANONYMOUS')) NOT VALID`);
    await db.query('DROP TABLE scim_groups, scim_members, scim_tokens');
  }
}
