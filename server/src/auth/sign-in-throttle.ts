import type { DataSource } from 'typeorm';
import type { Config } from '../app/config';

export interface ThrottleKeys {
  account: string;
  ip: string | null;
}

function keysOf({ account, ip }: ThrottleKeys): { key: string; limit: (config: Config) => number }[] {
  const keys = [{ key: `account:${account}`, limit: (config: Config) => config.signInMaxFailuresPerAccount }];
  if (ip) keys.push({ key: `ip:${ip}`, limit: (config: Config) => config.signInMaxFailuresPerIp });
  return keys;
}

/**
 * Counts the attempt before the password is checked: the upsert is atomic, so of N parallel
 * attempts on any number of instances only those within the limit go on. A successful
 * attempt gives its place back (see releaseAttempt), so only failures accumulate.
 */
export async function reserveAttempt(db: DataSource, config: Config, keys: ThrottleKeys): Promise<boolean> {
  let allowed = true;
  for (const { key, limit } of keysOf(keys)) {
    const [row] = await db.query(
      `INSERT INTO sign_in_throttle AS t (key, attempts, window_started_at) VALUES ($1, 1, now())
       ON CONFLICT (key) DO UPDATE SET
         attempts = CASE WHEN t.window_started_at < now() - make_interval(secs => $2) THEN 1 ELSE t.attempts + 1 END,
         window_started_at = CASE WHEN t.window_started_at < now() - make_interval(secs => $2) THEN now() ELSE t.window_started_at END
       RETURNING attempts`,
      [key, config.signInWindowSeconds],
    );
    if (row.attempts > limit(config)) allowed = false;
  }
  return allowed;
}

export async function releaseAttempt(db: DataSource, keys: ThrottleKeys): Promise<void> {
  await db.query(`UPDATE sign_in_throttle SET attempts = greatest(attempts - 1, 0) WHERE key = ANY($1)`, [
    keysOf(keys).map(({ key }) => key),
  ]);
}

/** A correct password clears the account's failures, as users expect after a typo or two. */
export async function clearAccountFailures(db: DataSource, account: string): Promise<void> {
  await db.query(`DELETE FROM sign_in_throttle WHERE key = $1`, [`account:${account}`]);
}
