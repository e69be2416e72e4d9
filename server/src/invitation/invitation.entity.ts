import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export interface PendingWorkspaceRole {
  workspaceId: string;
  roleId: string;
}

@Entity('invitations')
export class InvitationEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Column({ type: 'text' })
  email: string;

  /** Null only once the invitation is closed and its custom role was deleted. */
  @Column({ name: 'role_id', type: 'text', nullable: true })
  roleId: string | null;

  /** Applied at acceptance; groups deleted meanwhile are skipped then. */
  @Column({ name: 'group_ids', type: 'uuid', array: true, default: '{}' })
  groupIds: string[];

  @Column({ name: 'workspace_roles', type: 'jsonb', default: '[]' })
  workspaceRoles: PendingWorkspaceRole[];

  @Column({ name: 'token_hash', type: 'bytea' })
  tokenHash: Buffer;

  @Column({ name: 'invited_by', type: 'uuid', nullable: true })
  invitedBy: string | null;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @Column({ name: 'accepted_at', type: 'timestamptz', nullable: true })
  acceptedAt: Date | null;

  @Column({ name: 'cancelled_at', type: 'timestamptz', nullable: true })
  cancelledAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
