/**
 * An IP address as people know it: an IPv4 client seen through an IPv6 socket arrives as
 * "::ffff:203.0.113.7" and is shown as "203.0.113.7"; a missing one as "—".
 */
export function displayIp(ip: string | null | undefined): string {
  if (!ip) return '—';
  return /^::ffff:(\d{1,3}(\.\d{1,3}){3})$/i.exec(ip)?.[1] ?? ip;
}
