import { BlockList, isIPv4, isIPv6 } from 'node:net';

/** IPv4 ranges that are not the public internet (IANA special-purpose registry, RFC 6890). */
const ipv4Ranges: [string, number][] = [
  ['0.0.0.0', 8], // "this network", incl. 0.0.0.0 which Linux connects to as localhost
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, incl. the 169.254.169.254 cloud metadata service
  ['172.16.0.0', 12],
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.88.99.0', 24], // 6to4 relay anycast
  ['192.168.0.0', 16],
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, incl. the 255.255.255.255 broadcast
];

/** IPv6 ranges that are not the public internet; those embedding IPv4 are derived from `ipv4Ranges` below. */
const ipv6Ranges: [string, number][] = [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b:1::', 48], // local-use NAT64
  ['100::', 64], // discard
  ['2001::', 32], // Teredo: the IPv4 it tunnels to is obfuscated, so the whole range is refused
  ['2001:2::', 48], // benchmarking
  ['2001:db8::', 32], // documentation
  ['3fff::', 20], // documentation
  ['fc00::', 7], // unique-local, incl. fd00:ec2::254 (the AWS metadata service over IPv6)
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
];

const refused = new BlockList();
for (const [network, prefix] of ipv4Ranges) {
  const [a = 0, b = 0, c = 0, d = 0] = network.split('.').map(Number);
  const high = ((a << 8) | b).toString(16);
  const low = ((c << 8) | d).toString(16);
  refused.addSubnet(network, prefix, 'ipv4');
  // The same range written as IPv6: mapped (::ffff:a.b.c.d), compatible (::a.b.c.d), NAT64 (RFC 6052) and 6to4 (RFC 3056).
  refused.addSubnet(`::ffff:${network}`, 96 + prefix, 'ipv6');
  refused.addSubnet(`::${network}`, 96 + prefix, 'ipv6');
  refused.addSubnet(`64:ff9b::${network}`, 96 + prefix, 'ipv6');
  refused.addSubnet(`2002:${high}:${low}::`, 16 + prefix, 'ipv6');
}
for (const [network, prefix] of ipv6Ranges) refused.addSubnet(network, prefix, 'ipv6');

/**
 * True for an address a journey author may not reach unless the workspace allows private networks:
 * loopback, private, link-local, unique-local, unspecified, CGNAT, multicast, broadcast, reserved and
 * documentation ranges, and the IPv6 forms that embed an IPv4 one of these. Anything that is not an IP
 * address is refused too.
 */
export function isPrivateAddress(address: string): boolean {
  const family = isIPv4(address) ? 'ipv4' : isIPv6(address) ? 'ipv6' : null;
  if (!family) return true;
  try {
    return refused.check(address, family);
  } catch {
    return true; // e.g. a scoped address (fe80::1%eth0) that BlockList does not parse
  }
}
