import { MigrationInterface, QueryRunner } from 'typeorm';

/** The General, AI and Security settings of an organization, with their allowed ranges. */
export class OrganizationSettings1732250700000 implements MigrationInterface {
  name = 'OrganizationSettings1732250700000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE organizations
        ADD COLUMN date_format text NOT NULL DEFAULT 'MM_DD_YYYY' CHECK (date_format IN ('MM_DD_YYYY', 'DD_MM_YYYY')),
        ADD COLUMN time_format text NOT NULL DEFAULT 'H12' CHECK (time_format IN ('H12', 'H24')),
        ADD COLUMN copilot_test_data_access boolean NOT NULL DEFAULT false,
        ADD COLUMN authorized_email_domains text[] NOT NULL DEFAULT '{}',
        ADD COLUMN min_password_length integer NOT NULL DEFAULT 8 CHECK (min_password_length BETWEEN 8 AND 72),
        ADD COLUMN session_lifetime_hours integer NOT NULL DEFAULT 168 CHECK (session_lifetime_hours BETWEEN 1 AND 720),
        ADD COLUMN api_key_max_lifetime_days integer NOT NULL DEFAULT 365
          CHECK (api_key_max_lifetime_days BETWEEN 1 AND 3650),
        ADD COLUMN api_keys_may_never_expire boolean NOT NULL DEFAULT false;
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE organizations
        DROP COLUMN date_format, DROP COLUMN time_format, DROP COLUMN copilot_test_data_access,
        DROP COLUMN authorized_email_domains, DROP COLUMN min_password_length, DROP COLUMN session_lifetime_hours,
        DROP COLUMN api_key_max_lifetime_days, DROP COLUMN api_keys_may_never_expire;
    `);
  }
}
