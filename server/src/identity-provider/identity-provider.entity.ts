import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** An organization's OpenID Connect provider; the client secret is kept sealed by the SecretBox. */
@Entity('identity_providers')
export class IdentityProviderEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text' })
  issuer: string;

  @Column({ name: 'client_id', type: 'text' })
  clientId: string;

  @Column({ name: 'client_secret_sealed', type: 'text' })
  clientSecretSealed: string;

  @Column({ name: 'groups_claim', type: 'text' })
  groupsClaim: string;

  @Column({ type: 'boolean' })
  enabled: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

/**
 * An email domain whose people "Sign in with SSO" through this provider: a verified domain of its
 * organization, led to one provider per organization.
 */
@Entity('identity_provider_domains')
export class IdentityProviderDomainEntity {
  @PrimaryColumn({ name: 'identity_provider_id', type: 'uuid' })
  identityProviderId: string;

  @PrimaryColumn({ type: 'text' })
  domain: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;
}

/** A value of the provider's groups claim, and the tenant role and Gatehouse group it leads to. */
@Entity('identity_provider_mappings')
export class IdentityProviderMappingEntity {
  @PrimaryColumn({ name: 'identity_provider_id', type: 'uuid' })
  identityProviderId: string;

  @PrimaryColumn({ type: 'integer' })
  position: number;

  @Column({ name: 'idp_group', type: 'text' })
  idpGroup: string;

  @Column({ name: 'role_id', type: 'text' })
  roleId: string;

  @Column({ name: 'group_id', type: 'uuid', nullable: true })
  groupId: string | null;
}

/** Who a provider's subject is in Gatehouse, and the groups the provider gave at the last sign-in. */
@Entity('user_identities')
export class UserIdentityEntity {
  @PrimaryColumn({ name: 'identity_provider_id', type: 'uuid' })
  identityProviderId: string;

  @PrimaryColumn({ type: 'text' })
  subject: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column({ type: 'text', array: true })
  groups: string[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'last_sign_in_at', type: 'timestamptz' })
  lastSignInAt: Date;
}
