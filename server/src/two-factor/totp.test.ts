import { base32Decode, base32Encode, hotp, matchTotpStep, totpCode, TOTP_STEP_SECONDS } from './totp';

describe('TOTP', () => {
  // RFC 6238 appendix B, SHA-1: the secret is the ASCII string "12345678901234567890", 8 digits.
  it.each([
    [59, '94287082'],
    [1111111109, '07081804'],
    [1111111111, '14050471'],
    [1234567890, '89005924'],
    [2000000000, '69279037'],
    [20000000000, '65353130'],
  ])('matches the RFC 6238 test vector at T=%i', (seconds, expected) => {
    const secret = Buffer.from('12345678901234567890', 'ascii');
    expect(hotp(secret, Math.floor(seconds / TOTP_STEP_SECONDS), 8)).toBe(expected);
  });

  it('round-trips base32 and accepts only the adjacent steps', () => {
    const secret = base32Encode(Buffer.from('12345678901234567890', 'ascii'));
    expect(secret).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
    expect(base32Decode(secret).toString('ascii')).toBe('12345678901234567890');
    const now = 1_700_000_000_000;
    const code = totpCode(secret, now);
    expect(matchTotpStep(secret, code, now)).toBe(Math.floor(now / 30_000));
    expect(matchTotpStep(secret, code, now + 30_000)).not.toBeNull();
    expect(matchTotpStep(secret, code, now + 90_000)).toBeNull();
    expect(matchTotpStep(secret, 'abcdef', now)).toBeNull();
  });
});
