import type { DataSource } from 'typeorm';
import { isWellFormedSecret, hashSecret } from '../api-key/api-key-secret';
import type { ScimCaller } from '../auth/auth-state';
import { logger } from '../kernel/logger';
import { authenticationFailures } from '../kernel/metrics';

export const SCIM_TOKEN_PREFIX = 'gth_scim_';

/** Last-used times are refreshed at most this often, so a sync of thousands of users is not a write per request. */
const LAST_USED_RESOLUTION_MS = 60_000;

export const isScimToken = (secret: string): boolean => secret.startsWith(SCIM_TOKEN_PREFIX);

/**
 * Verifies `Authorization: Bearer gth_scim_…`. Read from the database on every request: an
 * identity provider calls a few times a minute at most, and a revoked token stops at once on
 * every instance without a cache to invalidate.
 */
export async function authenticateScimToken(db: DataSource, secret: string): Promise<ScimCaller | null> {
  if (!isWellFormedSecret(secret, SCIM_TOKEN_PREFIX)) return reject('malformed');
  const [token]: { id: string; name: string; organization_id: string; last_used_at: Date | null }[] = await db.query(
    'SELECT id, name, organization_id, last_used_at FROM scim_tokens WHERE secret_hash = $1 AND revoked_at IS NULL',
    [hashSecret(secret)],
  );
  if (!token) return reject('unknown');
  if (!token.last_used_at || Date.now() - token.last_used_at.getTime() > LAST_USED_RESOLUTION_MS) {
    await db.query('UPDATE scim_tokens SET last_used_at = now() WHERE id = $1', [token.id]);
  }
  return { tokenId: token.id, tokenName: token.name, organizationId: token.organization_id };
}

function reject(reason: string): null {
  authenticationFailures.inc({ kind: 'scim_token' });
  logger.info({ reason }, 'SCIM token rejected');
  return null;
}
