import { MigrationInterface, QueryRunner } from 'typeorm';

export class OutboundEmail1732250100000 implements MigrationInterface {
  name = 'OutboundEmail1732250100000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      -- Emails are written in the transaction of the change that causes them (an invitation,
      -- a password reset) and delivered after it commits, so a rolled-back change sends nothing
      -- and a crash between commit and delivery loses nothing.
      CREATE TABLE outbound_emails (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        recipient text NOT NULL,
        subject text NOT NULL,
        text_body text NOT NULL,
        html_body text,
        created_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz,
        attempts integer NOT NULL DEFAULT 0,
        last_error text
      );
      CREATE INDEX outbound_emails_pending_idx ON outbound_emails (created_at) WHERE sent_at IS NULL;
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE outbound_emails');
  }
}
