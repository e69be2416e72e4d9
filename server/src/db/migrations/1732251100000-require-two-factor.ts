import { MigrationInterface, QueryRunner } from 'typeorm';

/** The Security setting that makes every member set up two-factor authentication. */
export class RequireTwoFactor1732251100000 implements MigrationInterface {
  name = 'RequireTwoFactor1732251100000';

  async up(db: QueryRunner): Promise<void> {
    await db.query('ALTER TABLE organizations ADD COLUMN require_two_factor boolean NOT NULL DEFAULT false');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('ALTER TABLE organizations DROP COLUMN require_two_factor');
  }
}
