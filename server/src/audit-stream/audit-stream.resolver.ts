import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../kernel/context';
import { CreateAuditStreamInput, UpdateAuditStreamInput } from './audit-stream.inputs';
import {
  createAuditStream,
  deleteAuditStream,
  listAuditStreams,
  listDeliveries,
  redeliverAuditEvents,
  testAuditStream,
  updateAuditStream,
} from './audit-stream.service';
import { AuditStream, AuditStreamDelivery, CreatedAuditStream } from './audit-stream.types';

@Resolver(() => AuditStream)
export class AuditStreamResolver {
  @Authorized('auditLog:read')
  @Query(() => [AuditStream], { description: "Where the organization's audit events are delivered" })
  auditStreams(@Ctx() ctx: RequestContext): Promise<AuditStream[]> {
    return listAuditStreams(ctx);
  }

  @FieldResolver(() => [AuditStreamDelivery], { description: 'The last 100 delivery attempts, newest first' })
  deliveries(@Ctx() ctx: RequestContext, @Root() stream: AuditStream): Promise<AuditStreamDelivery[]> {
    return listDeliveries(ctx, stream);
  }

  @Authorized('security:manage')
  @Mutation(() => CreatedAuditStream, { description: 'Adds a destination; its signing secret is shown this once' })
  createAuditStream(
    @Ctx() ctx: RequestContext,
    @Arg('input', { description: "The stream's destination, kind, filters and headers." })
    input: CreateAuditStreamInput,
  ): Promise<CreatedAuditStream> {
    return createAuditStream(ctx, input);
  }

  @Authorized('security:manage')
  @Mutation(() => AuditStream, {
    description: "Changes a stream's destination, filters or batch size. Needs security:manage.",
  })
  updateAuditStream(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID, { description: "The stream's id." }) id: string,
    @Arg('input', { description: 'The new values; omitted fields stay as they are.' }) input: UpdateAuditStreamInput,
  ): Promise<AuditStream> {
    return updateAuditStream(ctx, id, input);
  }

  @Authorized('security:manage')
  @Mutation(() => ID, {
    description: 'Deletes a stream and returns its id; undelivered events are no longer sent. Needs security:manage.',
  })
  deleteAuditStream(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID, { description: "The stream's id." }) id: string,
  ): Promise<string> {
    return deleteAuditStream(ctx, id);
  }

  @Authorized('security:manage')
  @Mutation(() => AuditStreamDelivery, { description: 'Sends a signed test message now and logs the attempt' })
  testAuditStream(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID, { description: "The stream's id." }) id: string,
  ): Promise<AuditStreamDelivery> {
    return testAuditStream(ctx, id);
  }

  @Authorized('security:manage')
  @Mutation(() => AuditStream, { description: 'Delivers the events from this sequence on again, in order' })
  redeliverAuditEvents(
    @Ctx() ctx: RequestContext,
    @Arg('streamId', () => ID, { description: "The stream's id." }) streamId: string,
    @Arg('fromSequence', () => Int, { description: 'The first sequence to send again.' }) fromSequence: number,
  ): Promise<AuditStream> {
    return redeliverAuditEvents(ctx, streamId, fromSequence);
  }
}
