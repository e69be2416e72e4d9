import bcrypt from 'bcrypt';

/**
 * bcrypt's async API runs in libuv's thread pool, so hashing never blocks the event loop.
 * Unknown accounts are compared against this hash so a miss costs the same time as a hit.
 */
let timingDummyHash: Promise<string> | null = null;

export function hashPassword(password: string, cost: number): Promise<string> {
  return bcrypt.hash(password, cost);
}

export async function verifyPassword(password: string, hash: string | null, cost: number): Promise<boolean> {
  if (!hash) {
    timingDummyHash ??= bcrypt.hash('gatehouse-timing-dummy', cost);
    await bcrypt.compare(password, await timingDummyHash);
    return false;
  }
  return bcrypt.compare(password, hash);
}
