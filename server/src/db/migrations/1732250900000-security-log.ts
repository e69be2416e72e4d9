import { MigrationInterface, QueryRunner } from 'typeorm';

/** A person's security log reads their events across organizations by target, newest first. */
export class SecurityLog1732250900000 implements MigrationInterface {
  name = 'SecurityLog1732250900000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE INDEX audit_events_user_target_idx ON audit_events (target_id, occurred_at DESC, id DESC)
        WHERE target_type = 'user';
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP INDEX audit_events_user_target_idx');
  }
}
