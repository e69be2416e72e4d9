import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sign-in with Google, Microsoft and GitHub. An identity is found by (provider, subject), never
 * by email: a provider's subject is stable, an email claim is not proof of an account. One
 * identity per provider and user keeps "Connected sign-in methods" unambiguous.
 *
 * `require_sso`: an organization may refuse password and social sign-in for the emails of its
 * verified domains (its Admins keep password sign-in, to repair a broken provider).
 */
export class SocialIdentities1732252000000 implements MigrationInterface {
  name = 'SocialIdentities1732252000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE social_identities (
        provider text NOT NULL CHECK (provider IN ('google', 'microsoft', 'github')),
        subject text NOT NULL,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        email text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_sign_in_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (provider, subject),
        CONSTRAINT social_identities_provider_user_key UNIQUE (provider, user_id)
      );
      CREATE INDEX social_identities_user_idx ON social_identities (user_id);
      ALTER TABLE organizations ADD COLUMN require_sso boolean NOT NULL DEFAULT false;
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE organizations DROP COLUMN require_sso;
      DROP TABLE social_identities;
    `);
  }
}
