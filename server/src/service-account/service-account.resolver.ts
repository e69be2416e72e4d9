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
  @Query(() => [ServiceAccount], { description: "The organization's service accounts. Needs serviceAccounts:read." })
  serviceAccounts(@Ctx() ctx: RequestContext): Promise<ServiceAccount[]> {
    return listServiceAccounts(ctx);
  }

  @Authorized('serviceAccounts:manage')
  @Mutation(() => CreatedServiceAccount, {
    description: "Creates a service account; its first key's secret is shown once",
  })
  createServiceAccount(
    @Ctx() ctx: RequestContext,
    @Arg('input', { description: 'Its name, roles and groups.' }) input: CreateServiceAccountInput,
  ): Promise<CreatedServiceAccount> {
    return createServiceAccount(ctx, input);
  }

  @Authorized('serviceAccounts:manage')
  @Mutation(() => ServiceAccount, { description: 'Changes a service account. Needs serviceAccounts:manage.' })
  updateServiceAccount(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID, { description: "The service account's id." }) id: string,
    @Arg('input', { description: 'The new values.' }) input: UpdateServiceAccountInput,
  ): Promise<ServiceAccount> {
    return updateServiceAccount(ctx, id, input);
  }

  @Authorized('serviceAccounts:manage')
  @Mutation(() => ID, {
    description: 'Deletes a service account and its keys, and returns its id. Needs serviceAccounts:manage.',
  })
  deleteServiceAccount(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID, { description: "The service account's id." }) id: string,
  ): Promise<string> {
    return deleteServiceAccount(ctx, id);
  }

  @FieldResolver(() => Role, { description: 'Its tenant role.' })
  role(@Ctx() ctx: RequestContext, @Root() account: ServiceAccount): Promise<Role> {
    return roleById(ctx, account.roleId);
  }

  @FieldResolver(() => [Group], { description: 'The groups it belongs to.' })
  groups(@Ctx() ctx: RequestContext, @Root() account: ServiceAccount): Promise<Group[]> {
    return groupsOfUser(ctx, account.id);
  }

  @FieldResolver(() => [WorkspaceAssignment], { description: 'Its workspace roles.' })
  workspaces(@Ctx() ctx: RequestContext, @Root() account: ServiceAccount): Promise<WorkspaceAssignment[]> {
    return workspacesOfUser(ctx, account.id);
  }
}
