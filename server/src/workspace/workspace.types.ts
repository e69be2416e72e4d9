import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Role } from '../role/role.types';
import { Principal } from '../member/principal.types';
import type { WorkspaceEntity } from './workspace.entity';

@ObjectType()
export class Workspace {
  @Field(() => ID)
  id: string;

  @Field()
  name: string;

  @Field()
  description: string;

  @Field()
  createdAt: Date;

  createdById: string | null;

  static from(entity: Pick<WorkspaceEntity, 'id' | 'name' | 'description' | 'createdAt' | 'createdBy'>): Workspace {
    return Object.assign(new Workspace(), {
      id: entity.id,
      name: entity.name,
      description: entity.description,
      createdAt: entity.createdAt,
      createdById: entity.createdBy,
    });
  }
}

@ObjectType({ description: 'A role held directly in a workspace by a user, service account or group' })
export class WorkspaceMember {
  @Field(() => Principal)
  principal: Principal;

  @Field(() => Role)
  role: Role;

  @Field(() => Date, { nullable: true, description: 'When this time-bound role ends; null for a permanent one' })
  expiresAt: Date | null;
}

@ObjectType({ description: "A principal's role in a workspace, held directly or through a group" })
export class WorkspaceAssignment {
  @Field(() => Workspace)
  workspace: Workspace;

  @Field(() => Role)
  role: Role;

  @Field(() => Principal, { nullable: true, description: 'The group the role comes from; null when held directly' })
  viaGroup: Principal | null;

  @Field(() => Date, {
    nullable: true,
    description: 'When the role ends: a time-bound role, or a time-bound membership of viaGroup; null when it does not',
  })
  expiresAt: Date | null;
}

export enum RoleSourceKind {
  DIRECT = 'DIRECT',
  GROUP = 'GROUP',
  /** An Admin of the organization is Owner of every workspace. */
  TENANT_ADMIN = 'TENANT_ADMIN',
}
registerEnumType(RoleSourceKind, { name: 'RoleSourceKind' });

@ObjectType({ description: 'Where one of the roles behind an effective role comes from' })
export class RoleSource {
  @Field(() => RoleSourceKind)
  kind: RoleSourceKind;

  @Field(() => Role)
  role: Role;

  @Field(() => Principal, { nullable: true })
  group: Principal | null;

  @Field(() => Date, {
    nullable: true,
    description: 'When this source ends (a time-bound role or group membership); null when it does not',
  })
  expiresAt: Date | null;
}

@ObjectType({ description: "A user's or service account's effective role in a workspace and what it comes from" })
export class EffectiveWorkspaceMember {
  @Field(() => Principal)
  principal: Principal;

  @Field(() => Role, { description: 'The strongest of the roles in sources' })
  role: Role;

  @Field(() => [RoleSource])
  sources: RoleSource[];
}
