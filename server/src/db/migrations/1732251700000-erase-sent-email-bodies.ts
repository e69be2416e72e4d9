import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Email bodies carry reset and invitation links: they are erased once an email is sent or
 * given up (the dev outbox keeps them for a while), so the body becomes nullable and bodies
 * already sent are erased now. The partial index keeps the dispatcher's sweep of kept bodies
 * cheap however large the table grows.
 */
export class EraseSentEmailBodies1732251700000 implements MigrationInterface {
  name = 'EraseSentEmailBodies1732251700000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE outbound_emails ALTER COLUMN text_body DROP NOT NULL;
      UPDATE outbound_emails SET text_body = NULL, html_body = NULL WHERE sent_at IS NOT NULL OR attempts >= 5;
      CREATE INDEX outbound_emails_kept_bodies_idx ON outbound_emails (sent_at)
        WHERE sent_at IS NOT NULL AND text_body IS NOT NULL;
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      DROP INDEX outbound_emails_kept_bodies_idx;
      UPDATE outbound_emails SET text_body = '' WHERE text_body IS NULL;
      ALTER TABLE outbound_emails ALTER COLUMN text_body SET NOT NULL;
    `);
  }
}
