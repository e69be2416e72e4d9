import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import type { PermissionScope as Scope } from '@gatehouse/shared';
import type { RoleEntity } from './role.entity';
import { describeBuiltInRole, permissionsOfRole } from './role-permissions';

export enum PermissionScope {
  TENANT = 'TENANT',
  WORKSPACE = 'WORKSPACE',
}
registerEnumType(PermissionScope, { name: 'PermissionScope' });

@ObjectType()
export class Role {
  @Field(() => ID)
  id: string;

  @Field()
  name: string;

  @Field()
  description: string;

  @Field()
  builtIn: boolean;

  @Field(() => PermissionScope)
  scope: Scope;

  @Field(() => [String])
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
  @Field()
  name: string;

  @Field()
  description: string;

  @Field(() => PermissionScope)
  scope: Scope;
}
