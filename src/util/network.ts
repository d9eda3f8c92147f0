import { ipKeyGenerator } from 'express-rate-limit';

/**
 * The network a client address stands for: what every per-IP cap, rate limit and IP hash is
 * keyed on. An IPv6 address is cut to its first `ipv6PrefixLength` bits (IPV6_PREFIX_LENGTH,
 * default 64): a phone or a home gets a whole /64 and can pick a new interface id for every
 * request. IPv4-mapped IPv6 (`::ffff:1.2.3.4`) is the IPv4 address. express-rate-limit's own
 * helper does both, so limiters and hashes cannot drift apart.
 */
export function networkKey(ip: string | undefined, ipv6PrefixLength: number): string {
  return ip ? ipKeyGenerator(ip, ipv6PrefixLength) : 'unknown';
}
