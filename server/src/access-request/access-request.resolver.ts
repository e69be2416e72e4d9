import { Arg, Authorized, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../kernel/context';
import { Principal } from '../member/principal.types';
import { roleById } from '../role/role.service';
import { Role } from '../role/role.types';
import { principalById } from '../workspace/workspace.service';
import { ApproveAccessRequestInput, DenyAccessRequestInput, RequestAccessInput } from './access-request.inputs';
import { approveAccessRequest, denyAccessRequest, listAccessRequests, requestAccess } from './access-request.service';
import { AccessRequest, AccessRequestStatus } from './access-request.types';

@Resolver(() => AccessRequest)
export class AccessRequestResolver {
  @Authorized()
  @Mutation(() => AccessRequest, {
    description: 'Asks for a tenant role, or a role in a workspace, for a while; approvers are emailed',
  })
  requestAccess(
    @Ctx() ctx: RequestContext,
    @Arg('input', { description: 'The role asked for, where, for how long and why.' }) input: RequestAccessInput,
  ): Promise<AccessRequest> {
    return requestAccess(ctx, input);
  }

  @Authorized()
  @Query(() => [AccessRequest], {
    description: "The caller's own access requests and those the caller could approve, newest first",
  })
  accessRequests(
    @Ctx() ctx: RequestContext,
    @Arg('status', () => AccessRequestStatus, { nullable: true, description: 'Only requests in this state' })
    status?: AccessRequestStatus | null,
  ): Promise<AccessRequest[]> {
    return listAccessRequests(ctx, status);
  }

  @Authorized()
  @Mutation(() => AccessRequest, {
    description:
      'Approves a request of someone else, for the time asked or less, granting the role until then; the approver must be able to grant it',
  })
  approveAccessRequest(
    @Ctx() ctx: RequestContext,
    @Arg('input', { description: 'The request and, optionally, a shorter duration.' }) input: ApproveAccessRequestInput,
  ): Promise<AccessRequest> {
    return approveAccessRequest(ctx, input);
  }

  @Authorized()
  @Mutation(() => AccessRequest, { description: 'Denies a request of someone else, with a comment' })
  denyAccessRequest(
    @Ctx() ctx: RequestContext,
    @Arg('input', { description: 'The request and the reason it is denied.' }) input: DenyAccessRequestInput,
  ): Promise<AccessRequest> {
    return denyAccessRequest(ctx, input);
  }

  @FieldResolver(() => Principal, { description: 'Who asks' })
  async requester(@Ctx() ctx: RequestContext, @Root() request: AccessRequest): Promise<Principal> {
    return (await principalById(ctx, request.requesterId))!;
  }

  @FieldResolver(() => Role, { description: 'The role asked for: a tenant role, or a workspace role with workspace' })
  role(@Ctx() ctx: RequestContext, @Root() request: AccessRequest): Promise<Role> {
    return roleById(ctx, request.roleId);
  }

  @FieldResolver(() => Principal, { nullable: true, description: 'Who approved or denied it' })
  decidedBy(@Ctx() ctx: RequestContext, @Root() request: AccessRequest): Promise<Principal | null> {
    return principalById(ctx, request.decidedById);
  }
}
