import { MigrationInterface, QueryRunner } from 'typeorm';

/** The organization's logo: at most 2 MB, PNG or JPEG (checked by content before it is stored). */
export class OrganizationLogo1732251200000 implements MigrationInterface {
  name = 'OrganizationLogo1732251200000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE organizations
        ADD COLUMN logo bytea CHECK (octet_length(logo) <= 2097152),
        ADD COLUMN logo_content_type text CHECK (logo_content_type IN ('image/png', 'image/jpeg')),
        ADD COLUMN logo_updated_at timestamptz;
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(
      'ALTER TABLE organizations DROP COLUMN logo, DROP COLUMN logo_content_type, DROP COLUMN logo_updated_at',
    );
  }
}
