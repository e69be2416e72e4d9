export const ACCESS_CHANGED_CHANNEL = 'gatehouse_access_changed';

/**
 * Whose access changed. The database raises these itself: triggers on every table that carries
 * access (migrations AccessChangeTriggers1732251400000 and SessionAccessTriggers1732252300000) NOTIFY this channel with a JSON object of
 * these fields, so a change made by any code path or by hand in SQL reaches every instance,
 * once and only if it commits. Each field present narrows who is affected: `{ apiKeyId }` one
 * key, `{ sessionId }` one browser session, `{ organizationId, userId }` one member, `{ organizationId }` every member of an
 * organization, `{ userId }` a person in every organization.
 */
export interface AccessChange {
  apiKeyId?: string;
  sessionId?: string;
  organizationId?: string;
  userId?: string;
}

/** What a cached credential is: whose key or session, in which organization. */
export interface CredentialHolder {
  apiKeyId: string | null;
  sessionId: string | null;
  organizationId: string;
  userId: string;
}

/** A payload that cannot be read affects everyone: dropping too much from a cache is only slower. */
export function parseAccessChange(payload: string): AccessChange {
  try {
    const change = JSON.parse(payload) as unknown;
    return change && typeof change === 'object' ? (change as AccessChange) : {};
  } catch {
    return {};
  }
}

export function affects(change: AccessChange, holder: CredentialHolder): boolean {
  return (
    (change.apiKeyId === undefined || change.apiKeyId === holder.apiKeyId) &&
    (change.sessionId === undefined || change.sessionId === holder.sessionId) &&
    (change.organizationId === undefined || change.organizationId === holder.organizationId) &&
    (change.userId === undefined || change.userId === holder.userId)
  );
}
