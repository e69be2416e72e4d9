import type { DataSource } from 'typeorm';
import { DOMAIN_VERIFICATION_DAYS } from '@gatehouse/shared';
import type { Config } from '../kernel/config';
import { createContext } from '../kernel/context';
import type { JobDefinition } from '../kernel/jobs';
import { logger } from '../kernel/logger';
import { type AuditActor, record } from '../audit-log/audit-log.service';
import { OrganizationDomainEntity } from './domain.entity';
import { checkDomain } from './domain.service';

/** The job runs on one instance at a time, and so does anything else that calls runDomainChecks. */
const CHECKS_LOCK = 'gatehouse.domain-checks';
/** Claims checked per pass, least recently checked first, so a long queue still moves. */
const CHECKS_PER_PASS = 200;
const SYSTEM: AuditActor = { type: 'SYSTEM', id: null, name: 'Domain verification' };

export interface DomainCheckPass {
  verified: number;
  expired: number;
}

/**
 * Checks pending claims' DNS records again, then marks FAILED those still pending after the
 * checking period. Returns what changed, or null when another instance held the lock.
 */
export async function runDomainChecks(db: DataSource, config: Config): Promise<DomainCheckPass | null> {
  const runner = db.createQueryRunner();
  await runner.connect();
  try {
    const [{ locked }] = await runner.query('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [CHECKS_LOCK]);
    if (!locked) return null;
    try {
      const ctx = await createContext(
        { db, config, authenticator: { authenticate: async () => ({ auth: null, rejected: false }) } },
        {},
      );
      const pass: DomainCheckPass = { verified: 0, expired: 0 };
      const pending = await db.manager.find(OrganizationDomainEntity, {
        where: { status: 'PENDING' },
        order: { lastCheckedAt: { direction: 'ASC', nulls: 'FIRST' } },
        take: CHECKS_PER_PASS,
      });
      for (const claim of pending) {
        const outcome = await checkDomain(ctx, claim, SYSTEM, false).catch((error: unknown) => {
          logger.warn({ err: error, domainId: claim.id }, 'domain check failed');
          return null;
        });
        if (outcome && !outcome.error) pass.verified++;
      }
      const overdue: { id: string }[] = await db.query(
        `SELECT id FROM organization_domains
          WHERE status = 'PENDING' AND created_at < now() - make_interval(days => $1)`,
        [DOMAIN_VERIFICATION_DAYS],
      );
      for (const { id } of overdue) {
        await db.transaction(async (tx) => {
          const claim = await tx.findOne(OrganizationDomainEntity, {
            where: { id, status: 'PENDING' },
            lock: { mode: 'pessimistic_write' },
          });
          if (!claim) return;
          const reason = `The DNS record was not found within ${DOMAIN_VERIFICATION_DAYS} days.`;
          await tx.update(OrganizationDomainEntity, { id }, { status: 'FAILED', lastCheckError: reason });
          await record(ctx, tx, {
            organizationId: claim.organizationId,
            category: 'SETTING_UPDATES',
            action: 'domain.verificationExpired',
            actor: SYSTEM,
            target: { type: 'domain', id: claim.id, name: claim.domain },
            changes: { status: { before: 'PENDING', after: 'FAILED' } },
          });
          pass.expired++;
        });
      }
      return pass;
    } finally {
      await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [CHECKS_LOCK]);
    }
  } finally {
    await runner.release();
  }
}

/** Every 15 minutes, on one instance per tick (graphile-worker cron). */
export const DOMAIN_CHECKS_JOB: JobDefinition = {
  name: 'domain.checks',
  cron: '*/15 * * * *',
  handler: async (_payload, ctx) => {
    const pass = await runDomainChecks(ctx.db, ctx.config);
    if (pass && (pass.verified || pass.expired)) logger.info(pass, 'domain checks');
  },
};
