import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * OpenID Connect identity providers per organization, their group mappings, and the link from a
 * provider's subject to a Gatehouse user. An email domain leads to one provider in the whole
 * installation, so "Sign in with SSO" by email is never ambiguous.
 */
export class IdentityProviders1732251300000 implements MigrationInterface {
  name = 'IdentityProviders1732251300000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE identity_providers (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        name text NOT NULL,
        issuer text NOT NULL,
        client_id text NOT NULL,
        client_secret_sealed text NOT NULL,
        groups_claim text NOT NULL,
        enabled boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX identity_providers_organization_name_key ON identity_providers (organization_id, lower(name));

      CREATE TABLE identity_provider_domains (
        domain text PRIMARY KEY,
        identity_provider_id uuid NOT NULL REFERENCES identity_providers(id) ON DELETE CASCADE
      );
      CREATE INDEX identity_provider_domains_provider_idx ON identity_provider_domains (identity_provider_id);

      CREATE TABLE identity_provider_mappings (
        identity_provider_id uuid NOT NULL REFERENCES identity_providers(id) ON DELETE CASCADE,
        position integer NOT NULL,
        idp_group text NOT NULL,
        role_id text NOT NULL REFERENCES roles(id),
        group_id uuid REFERENCES groups(id) ON DELETE SET NULL,
        PRIMARY KEY (identity_provider_id, position)
      );
      CREATE INDEX identity_provider_mappings_role_idx ON identity_provider_mappings (role_id);
      CREATE INDEX identity_provider_mappings_group_idx ON identity_provider_mappings (group_id);

      CREATE TABLE user_identities (
        identity_provider_id uuid NOT NULL REFERENCES identity_providers(id) ON DELETE CASCADE,
        subject text NOT NULL,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        groups text[] NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        last_sign_in_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (identity_provider_id, subject),
        UNIQUE (identity_provider_id, user_id)
      );
      CREATE INDEX user_identities_user_idx ON user_identities (user_id);
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      DROP TABLE user_identities;
      DROP TABLE identity_provider_mappings;
      DROP TABLE identity_provider_domains;
      DROP TABLE identity_providers;
    `);
  }
}
