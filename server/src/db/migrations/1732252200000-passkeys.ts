import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Passkeys (WebAuthn credentials) and the challenges they sign. Challenges live in the database
 * so that any instance can finish what another started, and each is taken once with DELETE …
 * RETURNING. `users.passkey_count` is kept by a trigger, so the sign-in and "require 2FA" checks
 * read it with the user row and it cannot drift from the passkeys themselves.
 */
export class Passkeys1732252200000 implements MigrationInterface {
  name = 'Passkeys1732252200000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE passkeys (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        credential_id text NOT NULL,
        public_key bytea NOT NULL,
        sign_count bigint NOT NULL DEFAULT 0 CHECK (sign_count >= 0),
        transports text[] NOT NULL DEFAULT '{}',
        device_type text NOT NULL CHECK (device_type IN ('singleDevice', 'multiDevice')),
        backed_up boolean NOT NULL,
        name text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz,
        CONSTRAINT passkeys_credential_id_key UNIQUE (credential_id)
      )`);
    await db.query('CREATE INDEX passkeys_user_id_idx ON passkeys (user_id)');
    await db.query(`
      CREATE TABLE webauthn_challenges (
        challenge text PRIMARY KEY,
        purpose text NOT NULL CHECK (purpose IN ('REGISTRATION', 'SIGN_IN', 'SECOND_FACTOR')),
        user_id uuid REFERENCES users(id) ON DELETE CASCADE,
        expires_at timestamptz NOT NULL,
        CHECK ((purpose = 'SIGN_IN') = (user_id IS NULL))
      )`);
    await db.query('CREATE INDEX webauthn_challenges_expires_at_idx ON webauthn_challenges (expires_at)');
    await db.query('ALTER TABLE users ADD COLUMN passkey_count integer NOT NULL DEFAULT 0');
    await db.query(`
      CREATE FUNCTION count_passkeys() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          UPDATE users SET passkey_count = passkey_count + 1 WHERE id = NEW.user_id;
        ELSE
          UPDATE users SET passkey_count = passkey_count - 1 WHERE id = OLD.user_id;
        END IF;
        RETURN NULL;
      END $$`);
    await db.query(
      'CREATE TRIGGER passkeys_count AFTER INSERT OR DELETE ON passkeys FOR EACH ROW EXECUTE FUNCTION count_passkeys()',
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE passkeys');
    await db.query('DROP FUNCTION count_passkeys()');
    await db.query('DROP TABLE webauthn_challenges');
    await db.query('ALTER TABLE users DROP COLUMN passkey_count');
  }
}
