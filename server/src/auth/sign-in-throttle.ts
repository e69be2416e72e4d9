import ipaddr from 'ipaddr.js';
import type { RequestContext } from '../kernel/context';
import type { Config } from '../kernel/config';
import { AppError } from '../errors/app-error';

/**
 * Throttling of every password and code check, after Keycloak's brute-force detection:
 * failures count per (account, client address) pair, which also waits longer after each
 * failure; the account has a higher ceiling across all addresses and an address one across
 * all accounts. So a guesser elsewhere blocks only their own pair, and the owner at their own
 * address still gets in, until the account's ceiling says a distributed attack is under way.
 */

/** `passed` gives the attempt back; `firstStep` (a right password, the second factor to come) too, but keeps the pair's failures. */
export type SecretCheck = 'passed' | 'failed' | 'firstStep';

interface Counter {
  key: string;
  limit: number;
}

/** IPv6 clients usually hold a whole /64, so that is what one address means. */
function network(ip: string): string {
  try {
    const address = ipaddr.process(ip);
    if (address.kind() === 'ipv4') return address.toString();
    return `${ipaddr.IPv6.networkAddressFromCIDR(`${address.toString()}/64`).toString()}/64`;
  } catch {
    return ip;
  }
}

function countersOf(config: Config, account: string, ip: string | null): { pair: Counter; all: Counter[] } {
  const from = ip ? network(ip) : 'unknown';
  const pair = { key: `pair:${from}:${account}`, limit: config.signInMaxFailuresPerAccountAndIp };
  const all = [pair, { key: `account:${account}`, limit: config.signInMaxFailuresPerAccount }];
  if (ip) all.push({ key: `ip:${from}`, limit: config.signInMaxFailuresPerIp });
  // One lock order for every attempt, so parallel attempts on the same rows never deadlock.
  return { pair, all: all.sort((a, b) => a.key.localeCompare(b.key)) };
}

/** The wait before the next attempt once a pair has `failures` (counting the one in flight). */
function delaySeconds(config: Config, failures: number): number {
  if (failures < config.signInDelayAfterFailures) return 0;
  return Math.min(2 ** (failures - config.signInDelayAfterFailures), config.signInMaxDelaySeconds);
}

interface CounterRow {
  key: string;
  attempts: number;
  wait_seconds: number;
  window_left_seconds: number;
}

/**
 * Counts the attempt before the secret is checked, under row locks: of parallel attempts on any
 * number of instances only those within the limits and past the pair's delay go on. The count
 * and the next delay stay unless the check passes (see giveBack), so a failure costs nothing
 * more to record and a crash mid-check counts as a failure. Refused attempts count nothing, so
 * a blocked guesser cannot push the account towards its ceiling.
 */
async function reserve(ctx: RequestContext, counters: { pair: Counter; all: Counter[] }): Promise<number> {
  const { config } = ctx;
  const keys = counters.all.map(({ key }) => key);
  return ctx.db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO sign_in_throttle (key, attempts, window_started_at)
       SELECT key, 0, now() FROM unnest($1::text[]) AS key ORDER BY key
       ON CONFLICT (key) DO NOTHING`,
      [keys],
    );
    const window = `make_interval(secs => $2)`;
    const rows: CounterRow[] = await tx.query(
      `SELECT key,
         CASE WHEN window_started_at < now() - ${window} THEN 0 ELSE attempts END AS attempts,
         CASE WHEN window_started_at < now() - ${window} THEN 0
           ELSE greatest(ceil(extract(epoch FROM not_before - now())), 0) END::int AS wait_seconds,
         greatest(ceil(extract(epoch FROM window_started_at + ${window} - now())), 1)::int AS window_left_seconds
       FROM sign_in_throttle WHERE key = ANY($1) ORDER BY key FOR UPDATE`,
      [keys, config.signInWindowSeconds],
    );
    const limitOf = new Map(counters.all.map(({ key, limit }) => [key, limit]));
    const retryAfter = Math.max(
      0,
      ...rows.map((row) => (row.attempts >= limitOf.get(row.key)! ? row.window_left_seconds : row.wait_seconds)),
    );
    if (retryAfter > 0) return retryAfter;
    const pairFailures = rows.find((row) => row.key === counters.pair.key)!.attempts + 1;
    await tx.query(
      `UPDATE sign_in_throttle SET
         attempts = CASE WHEN window_started_at < now() - ${window} THEN 1 ELSE attempts + 1 END,
         window_started_at = CASE WHEN window_started_at < now() - ${window} THEN now() ELSE window_started_at END,
         not_before = CASE WHEN key = $3 THEN now() + make_interval(secs => $4) END
       WHERE key = ANY($1)`,
      [keys, config.signInWindowSeconds, counters.pair.key, delaySeconds(config, pairFailures)],
    );
    return 0;
  });
}

/**
 * A passed check gives its place back on every counter. A fully proven identity also forgets
 * the pair's earlier failures (the owner's typos); a right password awaiting its second factor
 * does not, or knowing the password would reset the count of guessed codes.
 */
async function giveBack(ctx: RequestContext, counters: { pair: Counter; all: Counter[] }, check: SecretCheck) {
  await ctx.db.query(
    `UPDATE sign_in_throttle SET
       attempts = CASE WHEN key = $2 AND $3 THEN 0 ELSE greatest(attempts - 1, 0) END,
       not_before = NULL
     WHERE key = ANY($1)`,
    [counters.all.map(({ key }) => key), counters.pair.key, check === 'passed'],
  );
}

/**
 * The one way to check a password or a second-factor code: refuses with RATE_LIMITED (and
 * `retryAfterSeconds`) when the caller must wait, otherwise runs `verify` and counts a failure.
 * `account` is the normalized email the secret belongs to (or was tried for).
 */
export async function checkSecretThrottled(
  ctx: RequestContext,
  { account, onRateLimited }: { account: string; onRateLimited?: () => Promise<unknown> },
  verify: () => Promise<SecretCheck>,
): Promise<SecretCheck> {
  const counters = countersOf(ctx.config, account, ctx.ip);
  const retryAfterSeconds = await reserve(ctx, counters);
  if (retryAfterSeconds > 0) {
    await onRateLimited?.();
    throw new AppError(
      'RATE_LIMITED',
      `Too many attempts. Try again in ${retryAfterSeconds} second${retryAfterSeconds === 1 ? '' : 's'}.`,
      undefined,
      { retryAfterSeconds },
    );
  }
  const check = await verify();
  if (check !== 'failed') await giveBack(ctx, counters, check);
  return check;
}
