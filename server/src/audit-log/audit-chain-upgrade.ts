import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { Config } from '../kernel/config';
import type { RequestContext } from '../kernel/context';
import { logger } from '../kernel/logger';
import type { Transaction } from '../db/data-source';
import { AuditEventEntity } from './audit-event.entity';
import {
  GENESIS_HASH,
  INSTALLATION_CHAIN_ID,
  auditChainKey,
  hashAuditEvent,
  legacyHashAuditEvent,
  retentionAnchorMac,
} from './audit-chain';
import { record } from './audit-log.service';

const BATCH = 5000;

/*
 * Chains written before the key existed (plain SHA-256) are re-hashed once under the key, in
 * order, at start. Re-hashing rewrites stored hashes, so it is done only where it launders
 * nothing:
 * - each event is first checked against its old unkeyed hash and link; from the first one that
 *   fails, nothing more is rewritten, so a chain that was already broken stays broken at the same
 *   sequence under the key;
 * - the chain records `auditLog.chainKeyed` (in the keyed chain itself) with the old and new head
 *   hashes, so copies of the old hashes kept elsewhere can still be matched, and a chain that is
 *   keyed a second time (someone reset the flag by hand) shows it in the log;
 * - a chain already trimmed by retention gets its anchor from its oldest event, trusted on this
 *   one occasion because nothing keyed existed before.
 * The alternative, keeping the old hashes and keying only new events, would need a keyed record
 * of where the unkeyed part ends, which can only be written now, with the same trust.
 */
export async function keyLegacyAuditChains(db: DataSource, config: Config): Promise<void> {
  const chains: { chain_id: string }[] = await db.query('SELECT chain_id FROM audit_chain_heads WHERE NOT keyed');
  for (const { chain_id: chainId } of chains) {
    const keyed = await db.transaction((tx) => keyChain(tx, db, config, chainId));
    if (keyed) logger.info(keyed, 'audit chain re-hashed under AUDIT_CHAIN_KEY');
  }
}

async function keyChain(tx: Transaction, db: DataSource, config: Config, chainId: string) {
  const key = auditChainKey(config);
  const [head] = await tx.query(
    'SELECT last_sequence::int AS last_sequence, last_hash FROM audit_chain_heads WHERE chain_id = $1 AND NOT keyed FOR UPDATE',
    [chainId],
  );
  if (!head) return null; // another instance keyed it meanwhile
  const organizationId = chainId === INSTALLATION_CHAIN_ID ? null : chainId;
  const events = tx.getRepository(AuditEventEntity);
  const chainEvents = () =>
    events
      .createQueryBuilder('e')
      .where(organizationId ? 'e.organization_id = :organizationId' : 'e.organization_id IS NULL', { organizationId })
      .orderBy('e.sequence', 'ASC');
  const oldest = await chainEvents().getOne();
  // What retention removed before the key existed: trusted from the oldest event, this once.
  const anchor = oldest
    ? { through: oldest.sequence - 1, hash: oldest.sequence === 1 ? GENESIS_HASH : oldest.previousHash }
    : { through: Number(head.last_sequence), hash: head.last_hash as string };
  let legacyPrevious = anchor.hash;
  let keyedPrevious = anchor.hash;
  let expected = anchor.through + 1;
  let brokenAt: number | null = null;
  while (brokenAt === null) {
    const batch = await chainEvents().andWhere('e.sequence >= :expected', { expected }).take(BATCH).getMany();
    const rewritten: { id: string; hash: string; previousHash: string }[] = [];
    for (const event of batch) {
      const intact =
        event.sequence === expected &&
        event.previousHash === legacyPrevious &&
        legacyHashAuditEvent(event) === event.hash;
      if (!intact) {
        brokenAt = expected;
        break;
      }
      legacyPrevious = event.hash;
      const hash = hashAuditEvent(key, { ...event, previousHash: keyedPrevious });
      rewritten.push({ id: event.id, hash, previousHash: keyedPrevious });
      keyedPrevious = hash;
      expected += 1;
    }
    if (rewritten.length) {
      await tx.query(
        `UPDATE audit_events e SET hash = v.hash, previous_hash = v.previous_hash
           FROM unnest($1::uuid[], $2::text[], $3::text[]) AS v(id, hash, previous_hash) WHERE e.id = v.id`,
        [rewritten.map((r) => r.id), rewritten.map((r) => r.hash), rewritten.map((r) => r.previousHash)],
      );
    }
    if (batch.length < BATCH) break;
  }
  // A tail that does not end at the head stays as it was, so verification still reports it.
  const intactToHead = brokenAt === null && legacyPrevious === head.last_hash && expected === head.last_sequence + 1;
  await tx.query(
    `UPDATE audit_chain_heads SET keyed = true, last_hash = $2, trimmed_through = $3, trimmed_hash = $4, anchor_mac = $5
      WHERE chain_id = $1`,
    [
      chainId,
      intactToHead ? keyedPrevious : head.last_hash,
      anchor.through,
      anchor.hash,
      anchor.through > 0 ? retentionAnchorMac(key, chainId, anchor.through, anchor.hash) : null,
    ],
  );
  await record(systemContext(db, config), tx, {
    organizationId,
    category: 'SYSTEM_CONFIGURATION',
    action: 'auditLog.chainKeyed',
    actor: { type: 'SYSTEM', id: null, name: 'Gatehouse' },
    failureReason: intactToHead
      ? undefined
      : `The unkeyed chain was already broken at sequence ${brokenAt ?? expected}`,
    outcome: intactToHead ? 'SUCCESS' : 'FAILURE',
    changes: {
      algorithm: { before: 'SHA-256', after: 'HMAC-SHA-256' },
      headHash: { before: head.last_hash, after: intactToHead ? keyedPrevious : head.last_hash },
    },
  });
  return { chainId, rehashed: expected - anchor.through - 1, brokenAt: intactToHead ? null : (brokenAt ?? expected) };
}

/** Work the server does on its own, outside any request. */
function systemContext(db: DataSource, config: Config): RequestContext {
  return {
    requestId: randomUUID(),
    ip: null,
    userAgent: null,
    db,
    config,
    log: logger,
    auth: null,
    credentialsRejected: false,
    sessionCookie: { set() {}, clear() {} },
  };
}
