import {
  AfterLoad,
  Column,
  CreateDateColumn,
  Entity,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { OrganizationEntity } from './organization.entity';
import { UserEntity } from '../user/user.entity';
import { RoleEntity } from '../role/role.entity';

export type MembershipStatus = 'ACTIVE' | 'INACTIVE';

@Entity('memberships')
export class MembershipEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @ManyToOne(() => OrganizationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organization_id' })
  organization: OrganizationEntity;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user: UserEntity;

  @Column({ name: 'role_id', type: 'text' })
  roleId: string;

  @ManyToOne(() => RoleEntity)
  @JoinColumn({ name: 'role_id' })
  role: RoleEntity;

  /** Set when the tenant role is time-bound: after this, `baseRoleId` applies again. */
  @Column({ name: 'role_expires_at', type: 'timestamptz', nullable: true })
  roleExpiresAt: Date | null;

  /** The role a time-bound role replaced, and which applies once it expires. */
  @Column({ name: 'base_role_id', type: 'text', nullable: true })
  baseRoleId: string | null;

  @ManyToOne(() => RoleEntity)
  @JoinColumn({ name: 'base_role_id' })
  baseRole: RoleEntity | null;

  @Column({ type: 'text', default: 'ACTIVE' })
  status: MembershipStatus;

  @Column({ name: 'last_active_at', type: 'timestamptz', nullable: true })
  lastActiveAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  /**
   * An expired time-bound role is reverted as the row is read, so that nothing that loads a
   * membership acts on a role that has lapsed but that the cleanup job has not written back yet.
   * Loads that join `role` also join `baseRole` (MEMBERSHIP_ROLES).
   */
  @AfterLoad()
  protected revertExpiredRole(): void {
    if (!this.roleExpiresAt || this.roleExpiresAt.getTime() > Date.now()) return;
    this.roleId = this.baseRoleId!;
    if (this.baseRole) this.role = this.baseRole;
    this.roleExpiresAt = null;
    this.baseRoleId = null;
    this.baseRole = null;
  }
}

/** The relations to load with a membership's role, so that an expired role can be reverted on load. */
export const MEMBERSHIP_ROLES = { role: true, baseRole: true } as const;
