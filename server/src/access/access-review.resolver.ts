import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../kernel/context';
import {
  completeAccessReview,
  decideAccessReviewItem,
  getAccessReview,
  listAccessReviews,
  startAccessReview,
} from './access-review.service';
import { AccessReview, AccessReviewDecision, AccessReviewItem } from './access-review.types';

@Resolver()
export class AccessReviewResolver {
  @Authorized('members:manage')
  @Query(() => [AccessReview], {
    description: "The organization's access reviews, newest first. Needs members:manage.",
  })
  accessReviews(@Ctx() ctx: RequestContext): Promise<AccessReview[]> {
    return listAccessReviews(ctx);
  }

  @Authorized('members:manage')
  @Query(() => AccessReview, { description: 'One access review with its items. Needs members:manage.' })
  accessReview(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID, { description: 'The review id' }) id: string,
  ): Promise<AccessReview> {
    return getAccessReview(ctx, id);
  }

  @Authorized('members:manage')
  @Mutation(() => AccessReview, {
    description:
      'Starts an access review: a snapshot of the removable grants (tenant roles above Consumer, direct workspace roles, group memberships), each to be kept or removed. One open review per organization or workspace; another answers CONFLICT. Needs members:manage.',
  })
  startAccessReview(
    @Ctx() ctx: RequestContext,
    @Arg('workspaceId', () => ID, {
      nullable: true,
      description:
        'Review only this workspace (its direct roles and group memberships); leave out for the organization',
    })
    workspaceId?: string | null,
  ): Promise<AccessReview> {
    return startAccessReview(ctx, workspaceId);
  }

  @Authorized('members:manage')
  @Mutation(() => AccessReviewItem, {
    description:
      'Decides one item of an open access review; nothing changes until the review is completed. Needs members:manage.',
  })
  decideAccessReviewItem(
    @Ctx() ctx: RequestContext,
    @Arg('itemId', () => ID, { description: 'The item id' }) itemId: string,
    @Arg('decision', () => AccessReviewDecision, { description: 'KEEP or REMOVE' }) decision: AccessReviewDecision,
  ): Promise<AccessReviewItem> {
    return decideAccessReviewItem(ctx, itemId, decision);
  }

  @Authorized('members:manage')
  @Mutation(() => AccessReview, {
    description:
      "Completes an open access review: applies each REMOVE decision with the same checks as removing it by hand (a refused removal is reported on its item's refusedBecause), and audits the result. Needs members:manage.",
  })
  completeAccessReview(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID, { description: 'The review id' }) id: string,
  ): Promise<AccessReview> {
    return completeAccessReview(ctx, id);
  }
}
