import { Args, Arg, Authorized, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { PageArgs, type Page } from '../kernel/connection';
import type { RequestContext } from '../kernel/context';
import { AuditEvent, AuditEventConnection } from '../audit-log/audit-log.types';
import { endOtherSessions, endSession, listMySessions, mySecurityLog } from './session.service';
import { Session } from './session.types';

@Resolver()
export class SessionResolver {
  @Authorized('profile:read')
  @Query(() => [Session], { description: "The viewer's signed-in browsers, this one first" })
  mySessions(@Ctx() ctx: RequestContext): Promise<Session[]> {
    return listMySessions(ctx);
  }

  @Authorized('profile:read')
  @Query(() => AuditEventConnection, {
    description: "The viewer's own sign-ins, failed sign-ins and credential changes, newest first",
  })
  mySecurityLog(@Ctx() ctx: RequestContext, @Args() page: PageArgs): Promise<Page<AuditEvent>> {
    return mySecurityLog(ctx, page);
  }

  @Authorized('profile:update')
  @Mutation(() => ID, { description: 'Signs one of the viewer’s sessions out' })
  endSession(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID, { description: "The session's id." }) id: string,
  ): Promise<string> {
    return endSession(ctx, id);
  }

  @Authorized('profile:update')
  @Mutation(() => Int, { description: 'Signs out every session of the viewer but this one; answers how many' })
  endOtherSessions(@Ctx() ctx: RequestContext): Promise<number> {
    return endOtherSessions(ctx);
  }
}
