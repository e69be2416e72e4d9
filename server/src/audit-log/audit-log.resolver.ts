import { Arg, Args, Authorized, Ctx, Query, Resolver } from 'type-graphql';
import { PageArgs, type Page } from '../kernel/connection';
import type { RequestContext } from '../kernel/context';
import { AuditEventFilter, VerifyAuditLogArgs } from './audit-log.inputs';
import { listAuditEvents, verifyAuditLog } from './audit-log.service';
import { AuditEvent, AuditEventConnection, AuditVerification } from './audit-log.types';

@Resolver()
export class AuditLogResolver {
  @Authorized('auditLog:read')
  @Query(() => AuditEventConnection, { description: "The organization's audit events, newest first" })
  auditEvents(
    @Ctx() ctx: RequestContext,
    @Args() page: PageArgs,
    @Arg('filter', () => AuditEventFilter, { nullable: true, description: 'Which events; omitted: all.' })
    filter?: AuditEventFilter,
  ): Promise<Page<AuditEvent>> {
    return listAuditEvents(ctx, page, filter);
  }

  @Authorized('auditLog:read')
  @Query(() => AuditVerification, {
    description: "Recomputes the organization's hash chain over a range (at most 1,000,000 events per call)",
  })
  verifyAuditLog(@Ctx() ctx: RequestContext, @Args() range: VerifyAuditLogArgs): Promise<AuditVerification> {
    return verifyAuditLog(ctx, range);
  }
}
