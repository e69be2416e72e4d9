import type { DataSource } from 'typeorm';
import type { Config } from '../app/config';
import type { RequestInfo } from '../app/context';
import { MembershipEntity } from '../organization/membership.entity';
import { permissionsOfRole } from '../role/role-permissions';
import type { AuthState } from './auth-state';
import { SessionEntity } from './session.entity';
import { sha256 } from './tokens';

/** Last-seen times are refreshed at most this often, so browsing is not a write per request. */
const LAST_SEEN_RESOLUTION_MS = 60_000;

export async function loadActiveMembership(
  db: DataSource,
  userId: string,
  organizationId: string,
): Promise<MembershipEntity | null> {
  return db.getRepository(MembershipEntity).findOne({
    where: { userId, organizationId, status: 'ACTIVE' },
    relations: { user: true, role: true },
  });
}

export function authStateOf(membership: MembershipEntity, ids: { sessionId?: string; apiKeyId?: string }): AuthState {
  return {
    user: membership.user,
    membership,
    organizationId: membership.organizationId,
    permissions: new Set(permissionsOfRole(membership.role)),
    sessionId: ids.sessionId ?? null,
    apiKeyId: ids.apiKeyId ?? null,
  };
}

async function authenticateSession(db: DataSource, token: string): Promise<AuthState | null> {
  const session = await db
    .getRepository(SessionEntity)
    .createQueryBuilder('s')
    .where('s.token_hash = :hash AND s.revoked_at IS NULL AND s.expires_at > now()', { hash: sha256(token) })
    .getOne();
  if (!session) return null;
  const membership = await loadActiveMembership(db, session.userId, session.organizationId);
  if (!membership) return null;
  if (Date.now() - session.lastSeenAt.getTime() > LAST_SEEN_RESOLUTION_MS) {
    await db.query('UPDATE sessions SET last_seen_at = now() WHERE id = $1', [session.id]);
    await db.query('UPDATE memberships SET last_active_at = now() WHERE id = $1', [membership.id]);
  }
  return authStateOf(membership, { sessionId: session.id });
}

export async function authenticate(db: DataSource, _config: Config, info: RequestInfo): Promise<AuthState | null> {
  if (info.sessionToken) return authenticateSession(db, info.sessionToken);
  return null;
}
