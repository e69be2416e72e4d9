import { createHash } from 'node:crypto';
import type { AuditEventEntity } from './audit-event.entity';

/** Installation-level events (e.g. a failed sign-in for an unknown email) share this chain. */
export const INSTALLATION_CHAIN_ID = '00000000-0000-0000-0000-000000000000';
export const GENESIS_HASH = '0'.repeat(64);

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.keys(value as object)
        .sort()
        .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

export type HashedFields = Omit<AuditEventEntity, 'id' | 'hash'>;

/** The hash covers every field of the event and the previous event's hash. */
export function hashAuditEvent(event: HashedFields): string {
  const content = JSON.stringify([
    event.organizationId,
    event.sequence,
    event.occurredAt.toISOString(),
    event.category,
    event.action,
    event.outcome,
    event.failureReason,
    event.actorType,
    event.actorId,
    event.actorName,
    event.apiKeyId,
    event.targetType,
    event.targetId,
    event.targetName,
    event.workspaceId,
    event.ip,
    event.userAgent,
    event.requestId,
    canonical(event.changes),
    event.previousHash,
  ]);
  return createHash('sha256').update(content).digest('hex');
}
