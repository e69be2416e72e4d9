import { randomInt } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { sha256 } from '../auth/tokens';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
export const API_KEY_PREFIX = 'gth_';
const RANDOM_LENGTH = 40;
const CHECKSUM_LENGTH = 6;

function base62(value: number, length: number): string {
  let out = '';
  for (let rest = value; out.length < length; rest = Math.floor(rest / 62)) out = ALPHABET[rest % 62] + out;
  return out;
}

function checksum(random: string): string {
  return base62(crc32(random), CHECKSUM_LENGTH);
}

/**
 * A prefix + 40 base62 characters (about 238 bits) + a 6-character CRC32 checksum, so secret
 * scanners can recognise a real credential offline and junk never reaches the database.
 * API keys use `gth_`, SCIM tokens `gth_scim_` (its `_` keeps the two formats apart).
 */
export function generateSecret(prefix: string): string {
  let random = '';
  for (let i = 0; i < RANDOM_LENGTH; i += 1) random += ALPHABET[randomInt(62)];
  return `${prefix}${random}${checksum(random)}`;
}

export function isWellFormedSecret(secret: string, prefix: string): boolean {
  const body = secret.slice(prefix.length);
  if (!secret.startsWith(prefix) || !/^[0-9A-Za-z]+$/.test(body) || body.length !== RANDOM_LENGTH + CHECKSUM_LENGTH)
    return false;
  return checksum(body.slice(0, RANDOM_LENGTH)) === body.slice(RANDOM_LENGTH);
}

export const generateApiKeySecret = (): string => generateSecret(API_KEY_PREFIX);

export const isWellFormedApiKey = (secret: string): boolean => isWellFormedSecret(secret, API_KEY_PREFIX);

/** With ~238 bits of entropy a fast hash is enough; a slow one would only tax every request. */
export function hashSecret(secret: string): Buffer {
  return sha256(secret);
}

export const hashApiKeySecret = hashSecret;

export function maskSecret(secret: string, prefix: string): { prefix: string; lastFour: string } {
  return { prefix: secret.slice(0, prefix.length + 4), lastFour: secret.slice(-4) };
}

export const maskApiKey = (secret: string) => maskSecret(secret, API_KEY_PREFIX);
