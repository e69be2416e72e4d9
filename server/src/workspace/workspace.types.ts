import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Role } from '../role/role.types';
import { Principal } from '../member/principal.types';
import type { WorkspaceEntity } from './workspace.entity';

@ObjectType({ description: 'A part of the organization with its own members and workspace roles.' })
export class Workspace {
  @Field(() => ID, { description: "The workspace's id." })
  id: string;

  @Field({ description: "The workspace's name, unique in the organization." })
  name: string;

  @Field({ description: 'What the workspace is for; empty when none.' })
  description: string;

  @Field({ description: 'When the workspace was created.' })
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
  @Field(() => Principal, { description: 'The user, group or service account.' })
  principal: Principal;

  @Field(() => Role, { description: 'Its workspace role.' })
  role: Role;

  @Field(() => Date, { nullable: true, description: 'When this time-bound role ends; null for a permanent one' })
  expiresAt: Date | null;
}

@ObjectType({ description: "A principal's role in a workspace, held directly or through a group" })
export class WorkspaceAssignment {
  @Field(() => Workspace, { description: 'The workspace.' })
  workspace: Workspace;

  @Field(() => Role, { description: 'The workspace role.' })
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
registerEnumType(RoleSourceKind, {
  name: 'RoleSourceKind',
  description: 'How a workspace role was given.',
  valuesConfig: {
    DIRECT: { description: 'Given to the principal itself.' },
    GROUP: { description: 'Through a group it belongs to.' },
    TENANT_ADMIN: { description: 'Its tenant role covers every workspace.' },
  },
});

@ObjectType({ description: 'Where one of the roles behind an effective role comes from' })
export class RoleSource {
  @Field(() => RoleSourceKind, { description: 'How the role was given.' })
  kind: RoleSourceKind;

  @Field(() => Role, { description: 'The role it gives.' })
  role: Role;

  @Field(() => Principal, { nullable: true, description: 'The group it comes through, for GROUP.' })
  group: Principal | null;

  @Field(() => Date, {
    nullable: true,
    description: 'When this source ends (a time-bound role or group membership); null when it does not',
  })
  expiresAt: Date | null;
}

@ObjectType({ description: "A user's or service account's effective role in a workspace and what it comes from" })
export class EffectiveWorkspaceMember {
  @Field(() => Principal, { description: 'The user or service account.' })
  principal: Principal;

  @Field(() => Role, { description: 'The strongest of the roles in sources' })
  role: Role;

  @Field(() => [RoleSource], { description: 'Where its access comes from.' })
  sources: RoleSource[];
}
