import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { Config } from '../kernel/config';
import { secretBoxFor } from '../auth/secret-box';
import type { AuditEventEntity } from './audit-event.entity';

/*
 * Each organization's events form a chain: an event's hash is an HMAC-SHA-256 over its content
 * and the previous event's hash. The key never enters the database (AUDIT_CHAIN_KEY, else
 * derived from the secrets key), so someone who can write to the database but not read the
 * server's configuration can neither alter an event and recompute the chain, nor forge the
 * retention anchor that says where a legitimately trimmed chain now starts.
 */

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

const MIN_KEY_BYTES = 32;
const keys = new WeakMap<object, Buffer>();

/** The chain key of a configuration, read (or derived) once per process. */
export function auditChainKey(config: Pick<Config, 'auditChainKey' | 'secretsKey' | 'dataDir'>): Buffer {
  let key = keys.get(config);
  if (!key) {
    key = config.auditChainKey
      ? Buffer.from(config.auditChainKey, 'base64')
      : secretBoxFor(config).deriveKey('audit-chain');
    if (key.length < MIN_KEY_BYTES) throw new Error(`AUDIT_CHAIN_KEY must be at least ${MIN_KEY_BYTES} bytes, base64`);
    keys.set(config, key);
  }
  return key;
}

function content(event: HashedFields): string {
  return JSON.stringify([
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
}

/** The hash covers every field of the event and the previous event's hash, keyed. */
export function hashAuditEvent(key: Buffer, event: HashedFields): string {
  return createHmac('sha256', key).update(content(event)).digest('hex');
}

/** The unkeyed hash of chains written before the key existed; only the upgrade reads it. */
export function legacyHashAuditEvent(event: HashedFields): string {
  return createHash('sha256').update(content(event)).digest('hex');
}

/**
 * Retention removes a chain's oldest events; the anchor records the last sequence removed and
 * that event's hash, which the oldest kept event links to. Keyed like the events, so a deletion
 * by hand cannot pass for retention.
 */
export function retentionAnchorMac(key: Buffer, chainId: string, trimmedThrough: number, trimmedHash: string): string {
  return createHmac('sha256', key)
    .update(JSON.stringify(['retention-anchor', chainId, trimmedThrough, trimmedHash]))
    .digest('hex');
}

export function sameMac(a: string | null, b: string): boolean {
  return a !== null && a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}
