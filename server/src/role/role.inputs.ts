import { Field, InputType } from 'type-graphql';
import { ArrayMaxSize, IsOptional } from 'class-validator';
import type { PermissionScope as Scope } from '@gatehouse/shared';
import { NamedInput, RenameInput } from '../kernel/named-inputs';
import { PermissionScope } from './role.types';

@InputType({ description: 'A new custom role.' })
export class CreateRoleInput extends NamedInput {
  @Field(() => PermissionScope, { description: 'Tenant or workspace role; fixed once created.' })
  scope: Scope;

  @Field(() => [String], { description: 'Permission names of its scope (see permissionCatalog).' })
  @ArrayMaxSize(100)
  permissions: string[];
}

@InputType({ description: "A custom role's new name, description or permissions." })
export class UpdateRoleInput extends RenameInput {
  @Field(() => [String], { nullable: true, description: 'The new permission names; omitted: unchanged.' })
  @IsOptional()
  @ArrayMaxSize(100)
  permissions?: string[];
}
