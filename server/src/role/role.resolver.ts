import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { PERMISSION_CATALOG } from '@gatehouse/shared';
import type { RequestContext } from '../kernel/context';
import { can } from '../auth/effective-permissions';
import { CreateRoleInput, UpdateRoleInput } from './role.inputs';
import { createRole, deleteRole, listRoles, roleMemberCount, updateRole } from './role.service';
import { Permission, Role } from './role.types';

@Resolver(() => Role)
export class RoleResolver {
  @Authorized()
  @Query(() => [Permission], { description: 'Every permission there is, with what it allows' })
  permissionCatalog(): Permission[] {
    return PERMISSION_CATALOG.map((entry) => Object.assign(new Permission(), entry));
  }

  @Authorized()
  @Query(() => Boolean, {
    description:
      'Whether the caller holds the permission (in the workspace, for a workspace permission), API-key scopes included',
  })
  can(
    @Ctx() ctx: RequestContext,
    @Arg('permission', { description: 'A permission name, e.g. members:manage.' }) permission: string,
    @Arg('workspaceId', () => ID, { nullable: true, description: 'The workspace, for a workspace permission.' })
    workspaceId?: string,
  ): Promise<boolean> {
    return can(ctx, permission, workspaceId);
  }

  @Authorized('roles:read')
  @Query(() => [Role], { description: 'Built-in roles, then the custom roles of the organization' })
  roles(@Ctx() ctx: RequestContext): Promise<Role[]> {
    return listRoles(ctx);
  }

  @Authorized('roles:manage')
  @Mutation(() => Role, { description: 'Creates a custom role. Needs roles:manage.' })
  createRole(
    @Ctx() ctx: RequestContext,
    @Arg('input', { description: 'Its name, scope and permissions.' }) input: CreateRoleInput,
  ): Promise<Role> {
    return createRole(ctx, input);
  }

  @Authorized('roles:manage')
  @Mutation(() => Role, {
    description: 'Changes a custom role; who holds it gets the new permissions at once. Needs roles:manage.',
  })
  updateRole(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID, { description: "The role's id." }) id: string,
    @Arg('input', { description: 'The new values.' }) input: UpdateRoleInput,
  ): Promise<Role> {
    return updateRole(ctx, id, input);
  }

  @Authorized('roles:manage')
  @Mutation(() => ID, { description: 'Deletes a custom role that nobody holds' })
  deleteRole(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID, { description: "The role's id." }) id: string,
  ): Promise<string> {
    return deleteRole(ctx, id);
  }

  @FieldResolver(() => Int, { description: 'How many members hold the role (tenant or workspace assignments)' })
  memberCount(@Ctx() ctx: RequestContext, @Root() role: Role): Promise<number> {
    return roleMemberCount(ctx, role.id);
  }
}
