import { BlockList, isIP } from 'node:net';

/**
 * Which addresses job calls and alerts may connect to.
 * - `default`: everything but cloud metadata endpoints.
 * - `public-only`: public unicast addresses only (no loopback, private, link-local, unique-local,
 *   CGNAT, unspecified or reserved ranges).
 * - `allow-all`: no check.
 */
export const TARGET_POLICIES = ['default', 'public-only', 'allow-all'] as const;
export type TargetPolicy = (typeof TARGET_POLICIES)[number];

/** The kind of a non-public address; `public` for everything else. */
export type AddressKind =
  | 'cloud metadata'
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'unique-local'
  | 'shared (CGNAT)'
  | 'unspecified'
  | 'reserved'
  | 'public';

type Range = [network: string, prefix: number, family: 'ipv4' | 'ipv6'];

/**
 * Ranges by kind, checked in this order (the first match names the kind). IPv4-mapped IPv6
 * addresses (`::ffff:169.254.169.254`) match the IPv4 ranges: BlockList maps them.
 */
const RANGES: Array<[Exclude<AddressKind, 'public'>, Range[]]> = [
  [
    'cloud metadata',
    [
      // The whole IPv4 link-local range: every cloud serves its metadata at 169.254.169.254, and
      // some also elsewhere in 169.254.0.0/16.
      ['169.254.0.0', 16, 'ipv4'],
      ['fd00:ec2::254', 128, 'ipv6'],
      // Alibaba Cloud's metadata service sits inside the CGNAT range.
      ['100.100.100.200', 32, 'ipv4'],
    ],
  ],
  ['loopback', [['127.0.0.0', 8, 'ipv4'], ['::1', 128, 'ipv6']]],
  ['private', [['10.0.0.0', 8, 'ipv4'], ['172.16.0.0', 12, 'ipv4'], ['192.168.0.0', 16, 'ipv4']]],
  ['link-local', [['fe80::', 10, 'ipv6']]],
  ['unique-local', [['fc00::', 7, 'ipv6']]],
  ['shared (CGNAT)', [['100.64.0.0', 10, 'ipv4']]],
  ['unspecified', [['0.0.0.0', 8, 'ipv4'], ['::', 128, 'ipv6']]],
  ['reserved', [['224.0.0.0', 4, 'ipv4'], ['240.0.0.0', 4, 'ipv4'], ['ff00::', 8, 'ipv6']]],
];

const LISTS = RANGES.map(([kind, ranges]) => {
  const list = new BlockList();
  for (const [network, prefix, family] of ranges) list.addSubnet(network, prefix, family);
  return [kind, list] as const;
});

/** Addresses already classified: a BlockList check builds a SocketAddress per list (~40 µs in all). */
const KNOWN_KINDS_MAX = 10_000;
const knownKinds = new Map<string, AddressKind>();

/** What kind of address `address` (an IP literal, IPv6 without brackets) is. */
export function classifyAddress(address: string): AddressKind {
  const known = knownKinds.get(address);
  if (known !== undefined) return known;
  const family = isIP(address);
  if (family === 0) throw new TypeError(`classifyAddress: "${address}" is not an IP address`);
  const type = family === 4 ? 'ipv4' : 'ipv6';
  const kind = LISTS.find(([, list]) => list.check(address, type))?.[0] ?? 'public';
  if (knownKinds.size >= KNOWN_KINDS_MAX) knownKinds.clear();
  knownKinds.set(address, kind);
  return kind;
}

/**
 * Why `policy` refuses a connection to `address`, as the end of a sentence ("169.254.169.254, a
 * cloud metadata address, which TARGET_POLICY=default refuses"), or null when it is allowed.
 */
export function addressRefusal(policy: TargetPolicy, address: string): string | null {
  if (policy === 'allow-all') return null;
  const kind = classifyAddress(address);
  const refused = policy === 'public-only' ? kind !== 'public' : kind === 'cloud metadata';
  if (!refused) return null;
  return `${address}, a${/^[aeiou]/.test(kind) ? 'n' : ''} ${kind} address, which TARGET_POLICY=${policy} refuses`;
}

/** The host of a URL's hostname as an IP literal (brackets removed), or null for a name. */
export function ipLiteral(hostname: string): string | null {
  const bare = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  return isIP(bare) === 0 ? null : bare;
}
