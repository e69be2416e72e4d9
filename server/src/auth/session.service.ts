import { IsNull, MoreThan } from 'typeorm';
import type { Page, PageArgs } from '../kernel/connection';
import type { RequestContext } from '../kernel/context';
import { record } from '../audit-log/audit-log.service';
import type { AuditEvent } from '../audit-log/audit-log.types';
import { queryUserSecurityEvents } from '../audit-log/audit-query';
import { AppError } from '../errors/app-error';
import { requireAuth, requireId, requireInteractiveSession } from './policies';
import type { Transaction } from '../db/data-source';
import { SessionEntity } from './session.entity';
import { Session } from './session.types';
import { newToken, sha256 } from './tokens';

/**
 * Creates a session with a fresh token (never reusing the caller's) and sets its cookie; it lasts
 * as long as the organization's Security settings say.
 */
export async function startSession(
  ctx: RequestContext,
  tx: Transaction,
  userId: string,
  organizationId: string,
): Promise<SessionEntity> {
  if (ctx.auth?.sessionId) await endSessions(tx, { sessionId: ctx.auth.sessionId });
  const token = newToken();
  const [{ hours }] = await tx.query('SELECT session_lifetime_hours AS hours FROM organizations WHERE id = $1', [
    organizationId,
  ]);
  const expiresAt = new Date(Date.now() + hours * 3600_000);
  const session = await tx.save(
    tx.create(SessionEntity, {
      tokenHash: sha256(token),
      userId,
      organizationId,
      ip: ctx.ip,
      userAgent: ctx.userAgent,
      lastSeenAt: new Date(),
      expiresAt,
    }),
  );
  ctx.sessionCookie.set(token, expiresAt);
  return session;
}

export async function endSessions(
  tx: Transaction,
  which: { sessionId: string } | { userId: string; exceptSessionId?: string | null },
): Promise<void> {
  if ('sessionId' in which) {
    await tx.query('UPDATE sessions SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL', [which.sessionId]);
    return;
  }
  await tx.query(
    `UPDATE sessions SET revoked_at = now()
     WHERE user_id = $1 AND revoked_at IS NULL AND ($2::uuid IS NULL OR id <> $2::uuid)`,
    [which.userId, which.exceptSessionId ?? null],
  );
}

export async function switchSessionOrganization(
  tx: Transaction,
  sessionId: string,
  organizationId: string,
): Promise<void> {
  await tx.update(SessionEntity, { id: sessionId }, { organizationId });
}

export async function listMySessions(ctx: RequestContext): Promise<Session[]> {
  const auth = requireAuth(ctx);
  const sessions = await ctx.db.getRepository(SessionEntity).find({
    where: { userId: auth.user.id, revokedAt: IsNull(), expiresAt: MoreThan(new Date()) },
    order: { lastSeenAt: 'DESC' },
  });
  return sessions
    .map((session) => Session.from(session, auth.sessionId))
    .sort((a, b) => Number(b.current) - Number(a.current));
}

/** Ends one of the caller's own sessions; anyone else's answers NOT_FOUND. */
export async function endSession(ctx: RequestContext, id: string): Promise<string> {
  const auth = requireAuth(ctx);
  const sessionId = requireId(id, 'Session');
  return ctx.db.transaction(async (tx) => {
    const [ended]: [unknown[], number] = await tx.query(
      `UPDATE sessions SET revoked_at = now()
        WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL AND expires_at > now() RETURNING id`,
      [sessionId, auth.user.id],
    );
    if (ended.length === 0) throw AppError.notFound('Session');
    await record(ctx, tx, {
      category: 'USER_ACTIONS',
      action: 'user.sessionEnded',
      target: { type: 'user', id: auth.user.id, name: auth.user.displayName },
      changes: { session: { before: sessionId, after: null } },
    });
    return sessionId;
  });
}

export async function endOtherSessions(ctx: RequestContext): Promise<number> {
  const auth = requireInteractiveSession(ctx);
  return ctx.db.transaction(async (tx) => {
    const [ended]: [unknown[], number] = await tx.query(
      `UPDATE sessions SET revoked_at = now()
        WHERE user_id = $1 AND id <> $2 AND revoked_at IS NULL AND expires_at > now() RETURNING id`,
      [auth.user.id, auth.sessionId],
    );
    await record(ctx, tx, {
      category: 'USER_ACTIONS',
      action: 'user.otherSessionsEnded',
      target: { type: 'user', id: auth.user.id, name: auth.user.displayName },
      changes: { otherSessions: { before: ended.length, after: 0 } },
    });
    return ended.length;
  });
}

export function mySecurityLog(ctx: RequestContext, page: PageArgs): Promise<Page<AuditEvent>> {
  return queryUserSecurityEvents(ctx.db, requireAuth(ctx).user.id, page.first, page.after);
}
