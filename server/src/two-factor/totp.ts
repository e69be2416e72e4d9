import { createHmac, randomBytes } from 'node:crypto';

/** RFC 6238 with the parameters every authenticator app uses: HMAC-SHA1, 30-second steps. */
export const TOTP_STEP_SECONDS = 30;
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function base32Encode(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let output = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      output += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) output += BASE32[(value << (5 - bits)) & 31];
  return output;
}

export function base32Decode(text: string): Buffer {
  const clean = text.replace(/[\s=]/g, '').toUpperCase();
  let bits = 0;
  let value = 0;
  const bytes: number[] = [];
  for (const char of clean) {
    const index = BASE32.indexOf(char);
    if (index < 0) throw new Error('not base32');
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Buffer.from(bytes);
}

/** A new 160-bit secret, base32 as authenticator apps expect it. */
export function newTotpSecret(): string {
  return base32Encode(randomBytes(20));
}

export function stepAt(time: number): number {
  return Math.floor(time / 1000 / TOTP_STEP_SECONDS);
}

/** RFC 4226 HOTP of a counter, as a zero-padded decimal string. */
export function hotp(secret: Buffer, counter: number, digits = 6): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const digest = createHmac('sha1', secret).update(message).digest();
  const offset = digest[digest.length - 1] & 0x0f;
  const binary = digest.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

export function totpCode(secretBase32: string, time = Date.now()): string {
  return hotp(base32Decode(secretBase32), stepAt(time));
}

/**
 * The step a code belongs to, accepting the previous and next step for clock drift; null when
 * the code matches none. Callers refuse a step at or before the last one used.
 */
export function matchTotpStep(secretBase32: string, code: string, time = Date.now()): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const secret = base32Decode(secretBase32);
  const now = stepAt(time);
  for (const step of [now - 1, now, now + 1]) {
    if (hotp(secret, step) === code) return step;
  }
  return null;
}

export function otpauthUrl(secretBase32: string, account: string): string {
  const label = encodeURIComponent(`Gatehouse:${account}`);
  return `otpauth://totp/${label}?secret=${secretBase32}&issuer=Gatehouse&algorithm=SHA1&digits=6&period=${TOTP_STEP_SECONDS}`;
}
