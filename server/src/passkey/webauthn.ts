import { isoBase64URL } from '@simplewebauthn/server/helpers';
import type { RequestContext } from '../kernel/context';
import type { Config } from '../kernel/config';
import type { Transaction } from '../db/data-source';
import { AppError } from '../errors/app-error';
import { RESPONSE_MESSAGE } from './passkey.inputs';

/** Long enough to pick a passkey; the browser's own timeout matches it. */
export const CHALLENGE_TTL_SECONDS = 300;

export type ChallengePurpose = 'REGISTRATION' | 'SIGN_IN' | 'SECOND_FACTOR';

/** The relying party is this installation's public address: its host is the RP id, its origin the only one accepted. */
export function relyingParty(config: Config): { id: string; origin: string; name: string } {
  const url = new URL(config.publicUrl);
  return { id: url.hostname, origin: url.origin, name: 'Gatehouse' };
}

/** Stores a challenge the server just issued (and sweeps expired ones, which nobody can use any more). */
export async function storeChallenge(
  db: Transaction | RequestContext['db'],
  challenge: string,
  purpose: ChallengePurpose,
  userId: string | null,
): Promise<void> {
  await db.query('DELETE FROM webauthn_challenges WHERE expires_at < now()');
  await db.query(
    `INSERT INTO webauthn_challenges (challenge, purpose, user_id, expires_at)
     VALUES ($1, $2, $3, now() + make_interval(secs => $4))`,
    [challenge, purpose, userId, CHALLENGE_TTL_SECONDS],
  );
}

/** The challenge a browser response claims to answer, read from its client data (verified later). */
function claimedChallenge(response: unknown): string {
  const clientDataJSON = (response as { response?: { clientDataJSON?: unknown } } | null)?.response?.clientDataJSON;
  if (typeof clientDataJSON !== 'string' || !isoBase64URL.isBase64URL(clientDataJSON)) {
    throw AppError.badInput('response', RESPONSE_MESSAGE);
  }
  try {
    const { challenge } = JSON.parse(isoBase64URL.toUTF8String(clientDataJSON)) as { challenge?: unknown };
    if (typeof challenge === 'string') return challenge;
  } catch {
    // falls through to the refusal below
  }
  throw AppError.badInput('response', RESPONSE_MESSAGE);
}

/**
 * Takes the challenge a response answers, once: DELETE … RETURNING lets exactly one of any
 * number of parallel attempts on any instance have it. A challenge that was used, expired, was
 * issued for another purpose or (for a signed-in user) to someone else answers UNAUTHENTICATED.
 */
export async function consumeChallenge(
  db: Transaction | RequestContext['db'],
  response: unknown,
  purpose: ChallengePurpose,
  userId: string | null,
): Promise<string> {
  const challenge = claimedChallenge(response);
  const [taken]: [unknown[], number] = await db.query(
    `DELETE FROM webauthn_challenges
      WHERE challenge = $1 AND purpose = $2 AND user_id IS NOT DISTINCT FROM $3 AND expires_at > now()
      RETURNING challenge`,
    [challenge, purpose, userId],
  );
  if (taken.length !== 1) {
    throw AppError.unauthenticated('This passkey request has expired or was already used. Start again.');
  }
  return challenge;
}
