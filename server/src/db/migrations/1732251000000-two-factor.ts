import { MigrationInterface, QueryRunner } from 'typeorm';

/** TOTP secrets (sealed), the last time step used (so a code works once) and hashed recovery codes. */
export class TwoFactor1732251000000 implements MigrationInterface {
  name = 'TwoFactor1732251000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE users
        ADD COLUMN totp_secret text,
        ADD COLUMN totp_pending_secret text,
        ADD COLUMN totp_enabled_at timestamptz,
        ADD COLUMN totp_last_step bigint NOT NULL DEFAULT 0;

      CREATE TABLE recovery_codes (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        code_hash bytea NOT NULL,
        used_at timestamptz,
        UNIQUE (user_id, code_hash)
      );
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      DROP TABLE recovery_codes;
      ALTER TABLE users DROP COLUMN totp_secret, DROP COLUMN totp_pending_secret, DROP COLUMN totp_enabled_at,
        DROP COLUMN totp_last_step;
    `);
  }
}
