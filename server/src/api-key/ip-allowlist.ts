import ipaddr from 'ipaddr.js';
import { AppError } from '../errors/app-error';

export const MAX_ALLOWED_IPS = 100;

type Range = [ipaddr.IPv4 | ipaddr.IPv6, number];

/** One address or CIDR range, IPv4-mapped IPv6 read as IPv4; null when it is neither. */
function parseRange(entry: string): Range | null {
  const text = entry.trim();
  try {
    if (text.includes('/')) {
      const [address, bits] = ipaddr.parseCIDR(text);
      if (address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress() && bits >= 96) {
        return [(address as ipaddr.IPv6).toIPv4Address(), bits - 96];
      }
      return [address, bits];
    }
    const address = ipaddr.process(text);
    return [address, address.kind() === 'ipv4' ? 32 : 128];
  } catch {
    return null;
  }
}

/**
 * Checks and normalises an allowlist: each entry an IPv4/IPv6 address or a CIDR range, stored
 * as its network (`10.1.2.3/8` becomes `10.0.0.0/8`) so the list reads as what it allows.
 */
export function normalizeAllowedIps(entries: readonly string[]): string[] {
  if (entries.length > MAX_ALLOWED_IPS) {
    throw AppError.badInput('allowedIps', `A key can list at most ${MAX_ALLOWED_IPS} addresses or ranges.`);
  }
  const normalized = entries.map((entry) => {
    const range = parseRange(entry);
    if (!range) throw AppError.badInput('allowedIps', `"${entry}" is not an IP address or CIDR range.`);
    const [address, bits] = range;
    const full = address.kind() === 'ipv4' ? 32 : 128;
    if (bits === full) return address.toString();
    const network =
      address.kind() === 'ipv4'
        ? ipaddr.IPv4.networkAddressFromCIDR(`${address.toString()}/${bits}`)
        : ipaddr.IPv6.networkAddressFromCIDR(`${address.toString()}/${bits}`);
    return `${network.toString()}/${bits}`;
  });
  return [...new Set(normalized)];
}

/** Whether a client address may use a key; null means the key has no allowlist. */
export type IpCheck = (ip: string | null) => boolean;

export function compileAllowlist(entries: readonly string[]): IpCheck | null {
  if (!entries.length) return null;
  const ranges = entries.map(parseRange).filter((range): range is Range => range !== null);
  return (ip) => {
    if (!ip || !ipaddr.isValid(ip)) return false;
    const address = ipaddr.process(ip);
    return ranges.some(([network, bits]) => network.kind() === address.kind() && address.match(network, bits));
  };
}
