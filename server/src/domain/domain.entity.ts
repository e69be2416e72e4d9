import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type DomainStatusName = 'PENDING' | 'VERIFIED' | 'FAILED';

/** An organization's claim to a domain, proven by publishing its token in a DNS TXT record. */
@Entity('organization_domains')
export class OrganizationDomainEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  /** Lowercase ASCII (IDNA), no trailing dot. */
  @Column({ type: 'text' })
  domain: string;

  @Column({ type: 'text' })
  status: DomainStatusName;

  @Column({ name: 'include_subdomains', type: 'boolean' })
  includeSubdomains: boolean;

  @Column({ name: 'verification_token', type: 'text' })
  verificationToken: string;

  @Column({ name: 'verified_at', type: 'timestamptz', nullable: true })
  verifiedAt: Date | null;

  @Column({ name: 'last_checked_at', type: 'timestamptz', nullable: true })
  lastCheckedAt: Date | null;

  @Column({ name: 'last_check_error', type: 'text', nullable: true })
  lastCheckError: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
