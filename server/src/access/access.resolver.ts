import { Arg, Authorized, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../kernel/context';
import { explainAccess } from './access.service';
import { AccessExplanation } from './access.types';

@Resolver()
export class AccessResolver {
  @Authorized('members:read')
  @Query(() => AccessExplanation, {
    description:
      'Whether a member, service account or API key holds a permission (in a workspace, for a workspace permission), and every path that gives it',
  })
  explainAccess(
    @Ctx() ctx: RequestContext,
    @Arg('principalId', () => ID, { description: 'A user, service account or API key of the organization' })
    principalId: string,
    @Arg('permission', { description: 'A permission name from permissionCatalog' }) permission: string,
    @Arg('workspaceId', () => ID, {
      nullable: true,
      description: 'The workspace, needed for a workspace permission',
    })
    workspaceId?: string | null,
  ): Promise<AccessExplanation> {
    return explainAccess(ctx, principalId, permission, workspaceId);
  }
}
