import { generateApiKeySecret, isWellFormedApiKey, maskApiKey } from './api-key-secret';

describe('API key secrets', () => {
  it('have the documented format and a valid checksum', () => {
    const secret = generateApiKeySecret();
    expect(secret).toMatch(/^gth_[0-9A-Za-z]{46}$/);
    expect(isWellFormedApiKey(secret)).toBe(true);
  });

  it('are different every time', () => {
    const secrets = new Set(Array.from({ length: 1000 }, generateApiKeySecret));
    expect(secrets.size).toBe(1000);
  });

  it('are recognised as junk when a character changes, so no lookup is needed', () => {
    const secret = generateApiKeySecret();
    const flipped = secret.slice(0, 10) + (secret[10] === 'a' ? 'b' : 'a') + secret.slice(11);
    expect(isWellFormedApiKey(flipped)).toBe(false);
    expect(isWellFormedApiKey(`${secret}x`)).toBe(false);
    expect(isWellFormedApiKey(secret.replace('gth_', 'ghp_'))).toBe(false);
    expect(isWellFormedApiKey('gth_')).toBe(false);
  });

  it('are masked to the prefix and the last four characters', () => {
    const secret = generateApiKeySecret();
    expect(maskApiKey(secret)).toEqual({ prefix: secret.slice(0, 8), lastFour: secret.slice(-4) });
  });
});
