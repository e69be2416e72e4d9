import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * API key guardrails: per-key IP allowlists and rate limits (with an organization default),
 * the shared rate-limit leases, hourly usage by outcome, the notices already sent, and the
 * organization's automatic revocation of unused keys. Usage and notices live in tables of their
 * own: writing them must not touch api_keys, whose updates empty the key caches.
 */
export class ApiKeyGuardrails1732252500000 implements MigrationInterface {
  name = 'ApiKeyGuardrails1732252500000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE api_keys
        ADD COLUMN allowed_ips text[] NOT NULL DEFAULT '{}',
        ADD COLUMN rate_limit_requests integer,
        ADD COLUMN rate_limit_window_seconds integer,
        ADD CONSTRAINT api_keys_rate_limit_check CHECK (
          (rate_limit_requests IS NULL AND rate_limit_window_seconds IS NULL)
          OR (rate_limit_requests > 0 AND rate_limit_window_seconds > 0))`);
    await db.query(`
      ALTER TABLE organizations
        ADD COLUMN api_key_rate_limit_requests integer,
        ADD COLUMN api_key_rate_limit_window_seconds integer,
        ADD COLUMN api_key_unused_revoke_days integer CHECK (api_key_unused_revoke_days > 0),
        ADD CONSTRAINT organizations_api_key_rate_limit_check CHECK (
          (api_key_rate_limit_requests IS NULL AND api_key_rate_limit_window_seconds IS NULL)
          OR (api_key_rate_limit_requests > 0 AND api_key_rate_limit_window_seconds > 0))`);
    // The organization default is part of every cached key of the organization.
    await db.query(`
      CREATE TRIGGER organizations_api_key_limit_changed AFTER UPDATE ON organizations FOR EACH ROW
        WHEN (OLD.api_key_rate_limit_requests IS DISTINCT FROM NEW.api_key_rate_limit_requests
           OR OLD.api_key_rate_limit_window_seconds IS DISTINCT FROM NEW.api_key_rate_limit_window_seconds)
        EXECUTE FUNCTION access_changed('organizationId', 'id')`);
    // One row per key and fixed window: instances lease chunks of the budget (see rate-limit.ts).
    await db.query(`
      CREATE UNLOGGED TABLE api_key_rate_windows (
        api_key_id uuid NOT NULL,
        window_seconds integer NOT NULL,
        window_start timestamptz NOT NULL,
        used integer NOT NULL,
        expires_at timestamptz NOT NULL,
        PRIMARY KEY (api_key_id, window_seconds, window_start)
      )`);
    await db.query(`
      CREATE TABLE api_key_usage (
        api_key_id uuid NOT NULL REFERENCES api_keys(id) ON DELETE CASCADE,
        hour timestamptz NOT NULL,
        outcome text NOT NULL CHECK (outcome IN ('SUCCESS', 'UNAUTHORIZED', 'RATE_LIMITED', 'IP_NOT_ALLOWED')),
        count integer NOT NULL CHECK (count >= 0),
        PRIMARY KEY (api_key_id, hour, outcome)
      )`);
    await db.query('CREATE INDEX api_key_usage_hour_idx ON api_key_usage (hour)');
    await db.query(`
      CREATE TABLE api_key_notices (
        api_key_id uuid NOT NULL REFERENCES api_keys(id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('EXPIRES_IN_7_DAYS', 'EXPIRES_IN_1_DAY', 'UNUSED_90_DAYS', 'LEAKED')),
        sent_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (api_key_id, kind)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE api_key_notices');
    await db.query('DROP TABLE api_key_usage');
    await db.query('DROP TABLE api_key_rate_windows');
    await db.query('DROP TRIGGER organizations_api_key_limit_changed ON organizations');
    await db.query(`
      ALTER TABLE organizations DROP COLUMN api_key_rate_limit_requests,
        DROP COLUMN api_key_rate_limit_window_seconds, DROP COLUMN api_key_unused_revoke_days`);
    await db.query(`
      ALTER TABLE api_keys DROP COLUMN allowed_ips, DROP COLUMN rate_limit_requests,
        DROP COLUMN rate_limit_window_seconds`);
  }
}
