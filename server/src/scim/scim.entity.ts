import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/** An organization's SCIM bearer token; only its hash is kept. */
@Entity('scim_tokens')
export class ScimTokenEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text' })
  prefix: string;

  @Column({ name: 'last_four', type: 'text' })
  lastFour: string;

  @Column({ name: 'secret_hash', type: 'bytea' })
  secretHash: Buffer;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true })
  lastUsedAt: Date | null;
}

/** A member the organization's identity provider manages, and the externalId it knows them by. */
@Entity('scim_members')
export class ScimMemberEntity {
  @PrimaryColumn({ name: 'membership_id', type: 'uuid' })
  membershipId: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column({ name: 'external_id', type: 'text', nullable: true })
  externalId: string | null;
}

/** A group the organization's identity provider manages. */
@Entity('scim_groups')
export class ScimGroupEntity {
  @PrimaryColumn({ name: 'group_id', type: 'uuid' })
  groupId: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Column({ name: 'external_id', type: 'text', nullable: true })
  externalId: string | null;
}
