import type { RequestContext } from '../app/context';
import type { Transaction } from '../db/data-source';
import { SessionEntity } from './session.entity';
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
