import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../kernel/context';
import { Group } from '../group/group.types';
import { groupsOfUser } from '../group/group.service';
import { roleById } from '../role/role.service';
import { Role } from '../role/role.types';
import { workspacesOfUser } from '../workspace/workspace.service';
import { WorkspaceAssignment } from '../workspace/workspace.types';
import { CreateServiceAccountInput, UpdateServiceAccountInput } from './service-account.inputs';
import {
  createServiceAccount,
  deleteServiceAccount,
  listServiceAccounts,
  updateServiceAccount,
} from './service-account.service';
import { CreatedServiceAccount, ServiceAccount } from './service-account.types';

@Resolver(() => ServiceAccount)
export class ServiceAccountResolver {
  @Authorized('serviceAccounts:read')
  @Query(() => [ServiceAccount])
  serviceAccounts(@Ctx() ctx: RequestContext): Promise<ServiceAccount[]> {
    return listServiceAccounts(ctx);
  }

  @Authorized('serviceAccounts:manage')
  @Mutation(() => CreatedServiceAccount, {
    description: "Creates a service account; its first key's secret is shown once",
  })
  createServiceAccount(
    @Ctx() ctx: RequestContext,
    @Arg('input') input: CreateServiceAccountInput,
  ): Promise<CreatedServiceAccount> {
    return createServiceAccount(ctx, input);
  }

  @Authorized('serviceAccounts:manage')
  @Mutation(() => ServiceAccount)
  updateServiceAccount(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID) id: string,
    @Arg('input') input: UpdateServiceAccountInput,
  ): Promise<ServiceAccount> {
    return updateServiceAccount(ctx, id, input);
  }

  @Authorized('serviceAccounts:manage')
  @Mutation(() => ID)
  deleteServiceAccount(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string): Promise<string> {
    return deleteServiceAccount(ctx, id);
  }

  @FieldResolver(() => Role)
  role(@Ctx() ctx: RequestContext, @Root() account: ServiceAccount): Promise<Role> {
    return roleById(ctx, account.roleId);
  }

  @FieldResolver(() => [Group])
  groups(@Ctx() ctx: RequestContext, @Root() account: ServiceAccount): Promise<Group[]> {
    return groupsOfUser(ctx, account.id);
  }

  @FieldResolver(() => [WorkspaceAssignment])
  workspaces(@Ctx() ctx: RequestContext, @Root() account: ServiceAccount): Promise<WorkspaceAssignment[]> {
    return workspacesOfUser(ctx, account.id);
  }
}
