import { Field, InputType } from 'type-graphql';
import { ArrayMaxSize, IsOptional } from 'class-validator';
import type { PermissionScope as Scope } from '@gatehouse/shared';
import { NamedInput, RenameInput } from '../kernel/named-inputs';
import { PermissionScope } from './role.types';

@InputType()
export class CreateRoleInput extends NamedInput {
  @Field(() => PermissionScope)
  scope: Scope;

  @Field(() => [String])
  @ArrayMaxSize(100)
  permissions: string[];
}

@InputType()
export class UpdateRoleInput extends RenameInput {
  @Field(() => [String], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(100)
  permissions?: string[];
}
