import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Domains an organization claims and proves with a DNS TXT record. Any number of organizations
 * may claim a domain (an unverified claim blocks no one), but only one can hold it VERIFIED.
 *
 * An identity provider's email domains stop being unique across the installation: they must be
 * verified domains of the provider's organization, which makes them unique in effect, and a
 * stale entry in an organization that let its domain go must not block the one that proves it.
 * Within an organization a domain still leads to one provider.
 */
export class VerifiedDomains1732251800000 implements MigrationInterface {
  name = 'VerifiedDomains1732251800000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE organization_domains (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        domain text NOT NULL CHECK (domain = lower(domain) AND length(domain) <= 253),
        status text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'VERIFIED', 'FAILED')),
        include_subdomains boolean NOT NULL DEFAULT false,
        verification_token text NOT NULL,
        verified_at timestamptz,
        last_checked_at timestamptz,
        last_check_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT organization_domains_verified_at CHECK ((status = 'VERIFIED') = (verified_at IS NOT NULL))
      );
      CREATE UNIQUE INDEX organization_domains_organization_domain_key ON organization_domains (organization_id, domain);
      CREATE UNIQUE INDEX organization_domains_verified_key ON organization_domains (domain) WHERE status = 'VERIFIED';
      CREATE INDEX organization_domains_pending_idx ON organization_domains (last_checked_at NULLS FIRST)
        WHERE status = 'PENDING';

      ALTER TABLE identity_provider_domains ADD COLUMN organization_id uuid REFERENCES organizations(id) ON DELETE CASCADE;
      UPDATE identity_provider_domains d SET organization_id = p.organization_id
        FROM identity_providers p WHERE p.id = d.identity_provider_id;
      ALTER TABLE identity_provider_domains ALTER COLUMN organization_id SET NOT NULL;
      ALTER TABLE identity_provider_domains DROP CONSTRAINT identity_provider_domains_pkey;
      ALTER TABLE identity_provider_domains ADD PRIMARY KEY (identity_provider_id, domain);
      ALTER TABLE identity_provider_domains
        ADD CONSTRAINT identity_provider_domains_organization_domain_key UNIQUE (organization_id, domain);
      CREATE INDEX identity_provider_domains_domain_idx ON identity_provider_domains (domain);
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      DROP INDEX identity_provider_domains_domain_idx;
      ALTER TABLE identity_provider_domains DROP CONSTRAINT identity_provider_domains_organization_domain_key;
      ALTER TABLE identity_provider_domains DROP CONSTRAINT identity_provider_domains_pkey;
      ALTER TABLE identity_provider_domains ADD PRIMARY KEY (domain);
      ALTER TABLE identity_provider_domains DROP COLUMN organization_id;
      DROP TABLE organization_domains;
    `);
  }
}
