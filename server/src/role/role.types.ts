import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import type { PermissionScope as Scope } from '@gatehouse/shared';
import type { RoleEntity } from './role.entity';
import { describeBuiltInRole, permissionsOfRole } from './role-permissions';

export enum PermissionScope {
  TENANT = 'TENANT',
  WORKSPACE = 'WORKSPACE',
}
registerEnumType(PermissionScope, {
  name: 'PermissionScope',
  description: 'Where a role or permission applies.',
  valuesConfig: {
    TENANT: { description: 'The whole organization.' },
    WORKSPACE: { description: 'One workspace at a time.' },
  },
});

@ObjectType({ description: 'A named set of permissions, for the organization (TENANT) or for workspaces (WORKSPACE).' })
export class Role {
  @Field(() => ID, { description: "The role's id." })
  id: string;

  @Field({ description: "The role's name, unique in the organization." })
  name: string;

  @Field({ description: 'What the role is for.' })
  description: string;

  @Field({ description: 'True for the built-in roles, which cannot be changed or deleted.' })
  builtIn: boolean;

  @Field(() => PermissionScope, { description: 'Whether it is a tenant or a workspace role.' })
  scope: Scope;

  @Field(() => [String], { description: 'Its permission names (see permissionCatalog).' })
  permissions: string[];

  static from(entity: RoleEntity): Role {
    return Object.assign(new Role(), {
      id: entity.id,
      name: entity.name,
      description: entity.builtIn ? describeBuiltInRole(entity.id) : entity.description,
      builtIn: entity.builtIn,
      scope: entity.scope,
      permissions: permissionsOfRole(entity),
    });
  }
}

@ObjectType({ description: 'An entry of the permission catalogue' })
export class Permission {
  @Field({ description: 'Its name, e.g. members:read.' })
  name: string;

  @Field({ description: 'What it allows.' })
  description: string;

  @Field(() => PermissionScope, { description: 'Whether it belongs in tenant or workspace roles.' })
  scope: Scope;
}
