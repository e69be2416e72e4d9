import type { RequestContext } from '../kernel/context';
import type { JobDefinition } from '../kernel/jobs';
import { logger } from '../kernel/logger';
import { record } from '../audit-log/audit-log.service';
import type { Transaction } from '../db/data-source';
import { queueEmail } from '../mail/mail.service';
import { deleteOldUsage } from './usage-recorder';

type NoticeKind = 'EXPIRES_IN_7_DAYS' | 'EXPIRES_IN_1_DAY' | 'UNUSED_90_DAYS';

interface NoticeRow {
  id: string;
  name: string;
  expires_at: Date | null;
  last_used_at: Date | null;
  email: string | null;
  organization_name: string;
}

/** Which active keys each notice is for; `$1` is now. A key unused and never revealed (a default key) is left alone. */
const DUE: Record<NoticeKind, string> = {
  EXPIRES_IN_7_DAYS: `k.expires_at > $1 + interval '1 day' AND k.expires_at <= $1 + interval '7 days'`,
  EXPIRES_IN_1_DAY: `k.expires_at > $1 AND k.expires_at <= $1 + interval '1 day'`,
  UNUSED_90_DAYS: `(k.last_used_at < $1 - interval '90 days'
                    OR (k.last_used_at IS NULL AND NOT k.is_default AND k.created_at < $1 - interval '90 days'))`,
};

function noticeEmail(kind: NoticeKind, key: NoticeRow, publicUrl: string) {
  const where = `in ${key.organization_name}`;
  const manage = `Manage your keys: ${publicUrl}/settings/api-keys`;
  if (kind === 'UNUSED_90_DAYS') {
    return {
      subject: `Your API key "${key.name}" has not been used for 90 days`,
      text: [
        `Your Gatehouse API key "${key.name}" ${where} was last used ${key.last_used_at?.toUTCString() ?? 'never'}.`,
        'If nothing needs it any more, revoke it: an unused key is only a risk.',
        '',
        manage,
      ].join('\n'),
    };
  }
  const when = kind === 'EXPIRES_IN_7_DAYS' ? 'within 7 days' : 'within a day';
  return {
    subject: `Your API key "${key.name}" expires ${when}`,
    text: [
      `Your Gatehouse API key "${key.name}" ${where} expires ${when}, on ${key.expires_at!.toUTCString()}.`,
      'Programs using it will stop working then: create a new key and switch them over before that.',
      '',
      manage,
    ].join('\n'),
  };
}

/** Sends each due notice once: the notice row is taken (ON CONFLICT DO NOTHING) with its email, in one transaction. */
async function sendNotices(ctx: RequestContext, tx: Transaction, kind: NoticeKind, now: Date): Promise<number> {
  const rows: NoticeRow[] = await tx.query(
    `WITH due AS (
       INSERT INTO api_key_notices (api_key_id, kind)
       SELECT k.id, $2 FROM api_keys k
       WHERE k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > $1) AND ${DUE[kind]}
       ON CONFLICT (api_key_id, kind) DO NOTHING
       RETURNING api_key_id)
     SELECT k.id, k.name, k.expires_at, k.last_used_at, u.email, o.name AS organization_name
     FROM due JOIN api_keys k ON k.id = due.api_key_id
     JOIN users u ON u.id = k.owner_id JOIN organizations o ON o.id = k.organization_id`,
    [now, kind],
  );
  for (const key of rows) {
    if (key.email) await queueEmail(tx, { to: key.email, ...noticeEmail(kind, key, ctx.config.publicUrl) });
  }
  return rows.length;
}

/**
 * Revokes the keys of organizations with `api_key_unused_revoke_days` that have not been used for
 * that long (counting from creation when never used). Default keys cannot be revoked: only their
 * owner's removal ends them.
 */
async function revokeUnusedKeys(ctx: RequestContext, tx: Transaction, now: Date): Promise<number> {
  // An UPDATE answers [rows, affected count] through TypeORM.
  const [rows]: [(NoticeRow & { organization_id: string; days: number })[], number] = await tx.query(
    `UPDATE api_keys k SET revoked_at = $1
     FROM organizations o, users u
     WHERE o.id = k.organization_id AND u.id = k.owner_id AND o.api_key_unused_revoke_days IS NOT NULL
       AND k.revoked_at IS NULL AND NOT k.is_default AND (k.expires_at IS NULL OR k.expires_at > $1)
       AND coalesce(k.last_used_at, k.created_at) < $1 - make_interval(days => o.api_key_unused_revoke_days)
     RETURNING k.id, k.name, k.expires_at, k.last_used_at, k.organization_id, u.email,
               o.name AS organization_name, o.api_key_unused_revoke_days AS days`,
    [now],
  );
  for (const key of rows) {
    await record(ctx, tx, {
      organizationId: key.organization_id,
      category: 'USER_ACTIONS',
      action: 'apiKey.revoked',
      actor: { type: 'SYSTEM', id: null, name: 'Gatehouse' },
      target: { type: 'apiKey', id: key.id, name: key.name },
      changes: { unusedForDays: { before: null, after: key.days } },
    });
    if (key.email) {
      await queueEmail(tx, {
        to: key.email,
        subject: `Your API key "${key.name}" was revoked after ${key.days} days unused`,
        text: [
          `Your Gatehouse API key "${key.name}" in ${key.organization_name} had not been used for ${key.days} days.`,
          'Your organization revokes such keys automatically. Create a new key if you need one again.',
        ].join('\n'),
      });
    }
  }
  return rows.length;
}

/** Expiry and unused-key notices, automatic revocation of unused keys, and usage past its retention. */
export async function runApiKeyNotices(ctx: RequestContext, now = new Date()): Promise<void> {
  const counts = await ctx.db.transaction(async (tx) => ({
    revoked: await revokeUnusedKeys(ctx, tx, now),
    expiresIn7Days: await sendNotices(ctx, tx, 'EXPIRES_IN_7_DAYS', now),
    expiresIn1Day: await sendNotices(ctx, tx, 'EXPIRES_IN_1_DAY', now),
    unused: await sendNotices(ctx, tx, 'UNUSED_90_DAYS', now),
  }));
  await deleteOldUsage(ctx.db);
  if (Object.values(counts).some(Boolean)) logger.info(counts, 'API key notices sent');
}

/** Hourly, on one instance (graphile-worker cron): a notice goes out within an hour of being due. */
export const API_KEY_NOTICES_JOB: JobDefinition = {
  name: 'apiKeys.notices',
  cron: '17 * * * *',
  handler: (_payload, ctx) => runApiKeyNotices(ctx),
};
