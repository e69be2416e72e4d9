import { compileAllowlist, normalizeAllowedIps } from './ip-allowlist';

describe('API key IP allowlists', () => {
  it('normalises addresses and ranges to their networks and refuses anything else', () => {
    expect(normalizeAllowedIps(['10.1.2.3/8', '192.0.2.7', '2001:db8::1/32', '::ffff:198.51.100.0/120'])).toEqual([
      '10.0.0.0/8',
      '192.0.2.7',
      '2001:db8::/32',
      '198.51.100.0/24',
    ]);
    expect(() => normalizeAllowedIps(['10.0.0.0/33'])).toThrow('is not an IP address or CIDR range');
    expect(() => normalizeAllowedIps(['example.com'])).toThrow('is not an IP address or CIDR range');
  });

  it('matches IPv4, IPv6 and IPv4-mapped IPv6 clients; no list allows anywhere', () => {
    const allowed = compileAllowlist(normalizeAllowedIps(['10.0.0.0/8', '2001:db8::/32']))!;
    expect(allowed('10.200.1.1')).toBe(true);
    expect(allowed('::ffff:10.9.9.9')).toBe(true);
    expect(allowed('2001:db8:1::5')).toBe(true);
    expect(allowed('11.0.0.1')).toBe(false);
    expect(allowed('2001:db9::1')).toBe(false);
    expect(allowed(null)).toBe(false);
    expect(compileAllowlist([])).toBeNull();
  });
});
