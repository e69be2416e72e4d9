import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { PermissionScope } from '@gatehouse/shared';

@Entity('roles')
export class RoleEntity {
  @PrimaryColumn({ type: 'text' })
  id: string;

  @Column({ name: 'organization_id', type: 'uuid', nullable: true })
  organizationId: string | null;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text', default: '' })
  description: string;

  @Column({ type: 'text' })
  scope: PermissionScope;

  /** Only custom roles store permissions; built-in ones come from the catalogue in code. */
  @Column({ type: 'text', array: true, default: '{}' })
  permissions: string[];

  @Column({ name: 'built_in', type: 'boolean', default: false })
  builtIn: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
