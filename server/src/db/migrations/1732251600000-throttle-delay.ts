import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Progressive delay for password and code checks: the earliest moment the next attempt of an
 * (account, address) pair is accepted, kept in the row so every instance honours it.
 */
export class ThrottleDelay1732251600000 implements MigrationInterface {
  name = 'ThrottleDelay1732251600000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE sign_in_throttle ADD COLUMN not_before timestamptz`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE sign_in_throttle DROP COLUMN not_before`);
  }
}
