import type { PageArgs, Page } from '../kernel/connection';
import type { RequestContext } from '../kernel/context';
import { requireAuth } from '../auth/policies';
import type { Transaction } from '../db/data-source';
import type { UserEntity } from '../user/user.entity';
import { AuditActorType, AuditCategory, AuditEventEntity, AuditOutcome } from './audit-event.entity';
import { GENESIS_HASH, INSTALLATION_CHAIN_ID, auditChainKey, hashAuditEvent } from './audit-chain';
import type { AuditEventFilter, VerifyAuditLogArgs } from './audit-log.inputs';
import type { AuditEvent, AuditVerification } from './audit-log.types';
import { queryAuditEvents, verifyChain } from './audit-query';

export interface AuditTarget {
  type: string;
  id: string;
  name?: string | null;
}

export interface AuditActor {
  type: AuditActorType;
  id: string | null;
  name: string | null;
}

export type AuditChanges = Record<string, { before: unknown; after: unknown }>;

export interface AuditEventInput {
  /** Defaults to the caller's active organization; null records an installation-level event. */
  organizationId?: string | null;
  category: AuditCategory;
  action: string;
  outcome?: AuditOutcome;
  failureReason?: string;
  /** Defaults to the authenticated caller. */
  actor?: AuditActor;
  target?: AuditTarget;
  workspaceId?: string | null;
  changes?: AuditChanges;
}

export function userActor(user: UserEntity): AuditActor {
  return { type: user.kind === 'SERVICE_ACCOUNT' ? 'SERVICE_ACCOUNT' : 'USER', id: user.id, name: user.displayName };
}

function callerAsActor(ctx: RequestContext): AuditActor {
  if (ctx.scim) return { type: 'SCIM_TOKEN', id: ctx.scim.tokenId, name: `SCIM token ${ctx.scim.tokenName}` };
  return ctx.auth ? userActor(ctx.auth.user) : { type: 'ANONYMOUS', id: null, name: null };
}

/** Before → after for the fields that changed; secrets must never be passed in. */
export function diff<T extends object>(before: T, after: Partial<T>): AuditChanges | undefined {
  const changes: AuditChanges = {};
  for (const key of Object.keys(after) as (keyof T & string)[]) {
    if (after[key] !== undefined && after[key] !== before[key])
      changes[key] = { before: before[key], after: after[key] };
  }
  return Object.keys(changes).length ? changes : undefined;
}

/**
 * Appends an event to its organization's hash chain inside the caller's transaction, so the
 * change and its event commit or roll back together. The chain head row is locked by the
 * upsert, which serialises appends within one organization only.
 */
export async function record(ctx: RequestContext, tx: Transaction, input: AuditEventInput): Promise<AuditEventEntity> {
  const organizationId =
    input.organizationId === undefined
      ? (ctx.auth?.organizationId ?? ctx.scim?.organizationId ?? null)
      : input.organizationId;
  const chainId = organizationId ?? INSTALLATION_CHAIN_ID;
  const [head] = await tx.query(
    `INSERT INTO audit_chain_heads (chain_id, last_sequence, last_hash) VALUES ($1, 1, $2)
     ON CONFLICT (chain_id) DO UPDATE SET last_sequence = audit_chain_heads.last_sequence + 1
     RETURNING last_sequence, last_hash`,
    [chainId, GENESIS_HASH],
  );
  const actor = input.actor ?? callerAsActor(ctx);
  const event = tx.create(AuditEventEntity, {
    organizationId,
    sequence: Number(head.last_sequence),
    occurredAt: new Date(),
    category: input.category,
    action: input.action,
    outcome: input.outcome ?? 'SUCCESS',
    failureReason: input.failureReason ?? null,
    actorType: actor.type,
    actorId: actor.id,
    actorName: actor.name,
    apiKeyId: ctx.auth?.apiKeyId ?? null,
    targetType: input.target?.type ?? null,
    targetId: input.target?.id ?? null,
    targetName: input.target?.name ?? null,
    workspaceId: input.workspaceId ?? null,
    ip: ctx.ip,
    userAgent: ctx.userAgent,
    requestId: ctx.requestId,
    changes: input.changes ?? null,
    previousHash: head.last_hash,
  });
  event.hash = hashAuditEvent(auditChainKey(ctx.config), event);
  await tx.save(event);
  await tx.query('UPDATE audit_chain_heads SET last_hash = $2 WHERE chain_id = $1', [chainId, event.hash]);
  return event;
}

/** The caller's organization's events, newest first. */
export function listAuditEvents(
  ctx: RequestContext,
  page: PageArgs,
  filter?: AuditEventFilter,
): Promise<Page<AuditEvent>> {
  return queryAuditEvents(ctx.db, requireAuth(ctx).organizationId, filter, page.first, page.after);
}

export function verifyAuditLog(ctx: RequestContext, range: VerifyAuditLogArgs): Promise<AuditVerification> {
  return verifyChain(
    ctx.db,
    auditChainKey(ctx.config),
    requireAuth(ctx).organizationId,
    range.fromSequence,
    range.toSequence,
  );
}

/** A mutation refused for want of a permission: worth knowing, so it is recorded as a failure. */
export async function recordDenial(ctx: RequestContext, operation: string, permission: string): Promise<void> {
  await ctx.db.transaction((tx) =>
    record(ctx, tx, {
      category: 'SYSTEM_CONFIGURATION',
      action: 'authorization.denied',
      outcome: 'FAILURE',
      failureReason: `${operation} needs the ${permission} permission`,
      target: { type: 'operation', id: operation, name: operation },
    }),
  );
}
