import dns from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/**
 * Addresses a webhook must not reach unless WEBHOOK_ALLOW_PRIVATE: IANA special-purpose ranges
 * (RFC 6890 and successors). IPv4-mapped IPv6 (::ffff:127.0.0.1) is checked as its IPv4 address;
 * NAT64 and 6to4 prefixes, which embed an IPv4 address, are refused whole.
 */
const SPECIAL = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.88.99.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24],
  ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const)
  SPECIAL.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [
  ['::', 128], ['::1', 128], ['64:ff9b::', 96], ['64:ff9b:1::', 48], ['100::', 64], ['2001::', 23], ['2001:db8::', 32], ['2002::', 16],
  ['3fff::', 20], ['fc00::', 7], ['fe80::', 10], ['fec0::', 10], ['ff00::', 8],
] as const)
  SPECIAL.addSubnet(net, bits, 'ipv6');

/** True for an address a webhook must not reach by default (loopback, private, link-local, CGNAT, metadata, …). */
export function isSpecialAddress(ip: string): boolean {
  const family = isIP(ip);
  if (!family) return true;
  return SPECIAL.check(ip, family === 4 ? 'ipv4' : 'ipv6');
}

/** The host of a URL as an IP address when it is one (brackets of IPv6 removed), else undefined. */
export const literalIp = (host: string) => {
  const h = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  return isIP(h) ? h : undefined;
};

/** Why a webhook URL may not be stored, judged on its text alone (a literal address or a localhost name), or undefined. */
export function refusedTarget(url: string, allowPrivate: boolean): string | undefined {
  if (allowPrivate) return undefined;
  const host = new URL(url).hostname.toLowerCase();
  const ip = literalIp(host);
  if (ip ? isSpecialAddress(ip) : host === 'localhost' || host.endsWith('.localhost'))
    return 'is a loopback, private or special-purpose address (set WEBHOOK_ALLOW_PRIVATE=true to allow an intranet receiver)';
  return undefined;
}

export class TargetNotAllowed extends Error {
  readonly code = 'ETARGETNOTALLOWED';
}

/**
 * dns.lookup that drops special-purpose addresses. The socket connects to what this returns,
 * so the address checked is the address used (a name that rebinds to 127.0.0.1 between the
 * check and the connection cannot slip through: there is no second resolution).
 */
export function guardedLookup(resolve: LookupFunction, allowPrivate: boolean): LookupFunction {
  return ((hostname: string, options: dns.LookupOptions, callback: (err: Error | null, address: string | dns.LookupAddress[], family?: number) => void) => {
    resolve(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '');
      const list = (Array.isArray(addresses) ? addresses : [{ address: addresses, family: isIP(addresses) }]).filter(
        (a) => allowPrivate || !isSpecialAddress(a.address),
      );
      if (!list.length) return callback(new TargetNotAllowed(`${hostname} resolves only to private or special-purpose addresses`), '');
      if (options.all) callback(null, list);
      else callback(null, list[0]!.address, list[0]!.family);
    });
  }) as LookupFunction;
}
