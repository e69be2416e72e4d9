import { MigrationInterface, QueryRunner } from 'typeorm';

export class ApiKeys1732250200000 implements MigrationInterface {
  name = 'ApiKeys1732250200000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE api_keys (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        membership_id uuid NOT NULL REFERENCES memberships(id) ON DELETE CASCADE,
        owner_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
        description text NOT NULL DEFAULT '' CHECK (length(description) <= 256),
        is_default boolean NOT NULL DEFAULT false,
        prefix text NOT NULL,
        last_four text NOT NULL,
        secret_hash bytea NOT NULL,
        previous_secret_hash bytea,
        previous_secret_expires_at timestamptz,
        scopes text[] NOT NULL DEFAULT '{*}',
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz,
        revoked_at timestamptz,
        last_used_at timestamptz,
        last_used_ip text,
        CHECK (NOT (is_default AND revoked_at IS NOT NULL))
      );
      CREATE UNIQUE INDEX api_keys_secret_hash_key ON api_keys (secret_hash);
      CREATE UNIQUE INDEX api_keys_previous_secret_hash_key ON api_keys (previous_secret_hash)
        WHERE previous_secret_hash IS NOT NULL;
      CREATE UNIQUE INDEX api_keys_owner_name_key ON api_keys (membership_id, lower(name));
      CREATE UNIQUE INDEX api_keys_one_default_key ON api_keys (membership_id) WHERE is_default;

      -- The five-key limit lives in the database: every insert and delete moves a counter on
      -- the owner's membership row, whose CHECK refuses a sixth key however many requests or
      -- server instances race (the row lock serialises them).
      ALTER TABLE memberships ADD COLUMN api_key_count integer NOT NULL DEFAULT 0
        CONSTRAINT memberships_api_key_limit CHECK (api_key_count BETWEEN 0 AND 5);

      CREATE FUNCTION api_keys_count_per_owner() RETURNS trigger AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          UPDATE memberships SET api_key_count = api_key_count + 1 WHERE id = NEW.membership_id;
          RETURN NEW;
        END IF;
        UPDATE memberships SET api_key_count = api_key_count - 1 WHERE id = OLD.membership_id;
        RETURN OLD;
      END $$ LANGUAGE plpgsql;

      CREATE TRIGGER api_keys_count_per_owner AFTER INSERT OR DELETE ON api_keys
        FOR EACH ROW EXECUTE FUNCTION api_keys_count_per_owner();

      -- The default key can be neither deleted nor revoked, so every member keeps one key;
      -- the key goes only with its membership (a cascade, which this check lets through).
      CREATE FUNCTION api_keys_keep_default() RETURNS trigger AS $$
      BEGIN
        IF OLD.is_default AND EXISTS (SELECT 1 FROM memberships WHERE id = OLD.membership_id) THEN
          RAISE EXCEPTION 'the default API key cannot be deleted' USING ERRCODE = 'check_violation',
            CONSTRAINT = 'api_keys_keep_default';
        END IF;
        RETURN OLD;
      END $$ LANGUAGE plpgsql;

      CREATE TRIGGER api_keys_keep_default BEFORE DELETE ON api_keys
        FOR EACH ROW EXECUTE FUNCTION api_keys_keep_default();
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      DROP TABLE api_keys;
      DROP FUNCTION api_keys_count_per_owner, api_keys_keep_default;
      ALTER TABLE memberships DROP COLUMN api_key_count;
    `);
  }
}
