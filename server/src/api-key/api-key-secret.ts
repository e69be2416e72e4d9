import { randomInt } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { sha256 } from '../auth/tokens';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
export const API_KEY_PREFIX = 'gth_';
const RANDOM_LENGTH = 40;
const CHECKSUM_LENGTH = 6;
const FORMAT = new RegExp(`^${API_KEY_PREFIX}[0-9A-Za-z]{${RANDOM_LENGTH + CHECKSUM_LENGTH}}$`);

function base62(value: number, length: number): string {
  let out = '';
  for (let rest = value; out.length < length; rest = Math.floor(rest / 62)) out = ALPHABET[rest % 62] + out;
  return out;
}

function checksum(random: string): string {
  return base62(crc32(random), CHECKSUM_LENGTH);
}

/**
 * `gth_` + 40 base62 characters (about 238 bits) + a 6-character CRC32 checksum, so secret
 * scanners can recognise a real key offline and junk never reaches the database.
 */
export function generateApiKeySecret(): string {
  let random = '';
  for (let i = 0; i < RANDOM_LENGTH; i += 1) random += ALPHABET[randomInt(62)];
  return `${API_KEY_PREFIX}${random}${checksum(random)}`;
}

export function isWellFormedApiKey(secret: string): boolean {
  if (!FORMAT.test(secret)) return false;
  const random = secret.slice(API_KEY_PREFIX.length, API_KEY_PREFIX.length + RANDOM_LENGTH);
  return checksum(random) === secret.slice(-CHECKSUM_LENGTH);
}

/** With ~238 bits of entropy a fast hash is enough; a slow one would only tax every request. */
export function hashApiKeySecret(secret: string): Buffer {
  return sha256(secret);
}

export function maskApiKey(secret: string): { prefix: string; lastFour: string } {
  return { prefix: secret.slice(0, API_KEY_PREFIX.length + 4), lastFour: secret.slice(-4) };
}
