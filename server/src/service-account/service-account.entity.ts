import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** The organization-specific part of a service account; its identity is a users row of kind SERVICE_ACCOUNT. */
@Entity('service_accounts')
export class ServiceAccountEntity {
  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text', default: '' })
  description: string;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
