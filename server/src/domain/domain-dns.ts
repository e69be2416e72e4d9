import { Resolver } from 'node:dns/promises';
import type { Config } from '../kernel/config';

export const CHALLENGE_PREFIX = '_gatehouse-challenge.';
export const CHALLENGE_VALUE_PREFIX = 'gatehouse-domain-verification=';

/** Per try, in milliseconds; two tries keep a check (and a "Verify now" click) under ten seconds. */
const LOOKUP_TIMEOUT_MS = 3000;
const LOOKUP_TRIES = 2;

const NO_RECORD = new Set(['ENODATA', 'ENOTFOUND']);

export function challengeName(domain: string): string {
  return `${CHALLENGE_PREFIX}${domain}`;
}

export function challengeValue(token: string): string {
  return `${CHALLENGE_VALUE_PREFIX}${token}`;
}

/** null when the record holds the token, else why not, in words for the Admin. */
export async function checkChallenge(config: Config, domain: string, token: string): Promise<string | null> {
  const resolver = new Resolver({ timeout: LOOKUP_TIMEOUT_MS, tries: LOOKUP_TRIES });
  if (config.dnsServers.length) resolver.setServers(config.dnsServers);
  const name = challengeName(domain);
  let values: string[];
  try {
    // A TXT record may be split into several strings of up to 255 bytes: its value is their concatenation.
    values = (await resolver.resolveTxt(name)).map((chunks) => chunks.join(''));
  } catch (error) {
    const code = (error as { code?: string }).code ?? 'error';
    if (NO_RECORD.has(code)) return `No TXT record was found at ${name}.`;
    return `The DNS lookup of ${name} failed (${code}); it will be tried again.`;
  }
  if (values.includes(challengeValue(token))) return null;
  if (values.some((value) => value.startsWith(CHALLENGE_VALUE_PREFIX))) {
    return `The TXT record at ${name} holds another verification value than this domain's.`;
  }
  return `No TXT record at ${name} holds the verification value.`;
}
