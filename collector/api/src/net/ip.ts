import { BlockList, isIPv4, isIPv6 } from 'node:net';

/** An IP address as its bytes: 4 for IPv4, 16 for IPv6. */
export interface IpAddress {
  family: 4 | 6;
  bytes: Uint8Array;
}

const MAPPED_V4 = /^::ffff:(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})$/i;

/**
 * The address as written for people and lookups: IPv4-mapped IPv6 (`::ffff:1.2.3.4`, what a
 * dual-stack socket reports for an IPv4 peer) becomes plain IPv4, an IPv6 zone (`%eth0`) is
 * dropped, and IPv6 is lower-cased. Anything that is not an IP comes back unchanged.
 */
export function normalizeIp(text: string): string {
  const trimmed = text.trim();
  const mapped = MAPPED_V4.exec(trimmed);
  if (mapped && isIPv4(mapped[1]!)) return mapped[1]!;
  const zone = trimmed.indexOf('%');
  const bare = zone >= 0 ? trimmed.slice(0, zone) : trimmed;
  return isIPv6(bare) ? bare.toLowerCase() : trimmed;
}

/** Parses a (normalised) IPv4 or IPv6 address; undefined when it is neither. */
export function parseIp(text: string): IpAddress | undefined {
  if (isIPv4(text)) return { family: 4, bytes: Uint8Array.from(text.split('.').map(Number)) };
  if (!isIPv6(text)) return undefined;
  const bytes = new Uint8Array(16);
  const [head = '', tail] = text.split('::') as [string, string | undefined];
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':');
  // An embedded IPv4 tail (`::ffff:1.2.3.4`, `64:ff9b::1.2.3.4`) stands for two groups.
  const expand = (groups: string[]): number[] =>
    groups.flatMap((group) => {
      if (!group.includes('.')) return [parseInt(group, 16)];
      const [a, b, c, d] = group.split('.').map(Number) as [number, number, number, number];
      return [(a << 8) | b, (c << 8) | d];
    });
  const first = expand(headGroups);
  const last = expand(tailGroups);
  const groups = tail === undefined ? first : [...first, ...new Array<number>(8 - first.length - last.length).fill(0), ...last];
  groups.forEach((group, index) => {
    bytes[index * 2] = group >> 8;
    bytes[index * 2 + 1] = group & 0xff;
  });
  return { family: 6, bytes };
}

/** Writes an address back as text: dotted IPv4, or IPv6 in RFC 5952's canonical form. */
export function formatIp(address: IpAddress): string {
  const b = address.bytes;
  if (address.family === 4) return `${b[0]}.${b[1]}.${b[2]}.${b[3]}`;
  const groups = Array.from({ length: 8 }, (_, i) => (b[i * 2]! << 8) | b[i * 2 + 1]!);
  // The longest run of two or more zero groups (the first on a tie) becomes "::".
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) [bestStart, bestLength] = [i, j - i];
    i = j;
  }
  const hex = groups.map((group) => group.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

/** The address with every bit past `prefix` set to zero (203.0.113.77 /24 → 203.0.113.0). */
export function maskIp(address: IpAddress, prefix: number): IpAddress {
  const bytes = Uint8Array.from(address.bytes);
  for (let bit = Math.max(0, prefix); bit < bytes.length * 8; bit++) bytes[bit >> 3] = bytes[bit >> 3]! & ~(0x80 >> (bit & 7));
  return { family: address.family, bytes };
}

/** Parses `10.0.0.0/8`, `2001:db8::/32` or a bare address (one host); undefined when invalid. */
export function parseCidr(text: string): { address: string; prefix: number; family: 4 | 6 } | undefined {
  const slash = text.indexOf('/');
  const address = normalizeIp(slash < 0 ? text : text.slice(0, slash));
  const parsed = parseIp(address);
  if (!parsed) return undefined;
  const max = parsed.family === 4 ? 32 : 128;
  if (slash < 0) return { address, prefix: max, family: parsed.family };
  const prefixText = text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > max) return undefined;
  return { address, prefix: Number(prefixText), family: parsed.family };
}

/** A set of CIDR ranges, checked with Node's own `BlockList`. */
export class CidrSet {
  readonly #list = new BlockList();
  readonly size: number;

  constructor(cidrs: readonly string[]) {
    for (const cidr of cidrs) {
      const range = parseCidr(cidr);
      if (!range) throw new Error(`not a CIDR range: ${JSON.stringify(cidr)}`);
      this.#list.addSubnet(range.address, range.prefix, range.family === 4 ? 'ipv4' : 'ipv6');
    }
    this.size = cidrs.length;
  }

  /** True when the (normalised) address falls in one of the ranges. */
  has(address: string): boolean {
    if (this.size === 0) return false;
    if (isIPv4(address)) return this.#list.check(address, 'ipv4');
    return isIPv6(address) && this.#list.check(address, 'ipv6');
  }
}

// Addresses no geo database can place: private, loopback, link-local, shared (CGNAT),
// documentation, multicast and reserved ranges (RFC 6890 and friends). No `::ffff:0:0/96`:
// BlockList matches IPv4 against IPv4-mapped rules, so it would swallow every IPv4 address
// (mapped addresses are normalised to IPv4 before they get here).
const NOT_PUBLIC = new CidrSet([
  '0.0.0.0/8',
  '10.0.0.0/8',
  '100.64.0.0/10',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '172.16.0.0/12',
  '192.0.0.0/24',
  '192.0.2.0/24',
  '192.168.0.0/16',
  '198.18.0.0/15',
  '198.51.100.0/24',
  '203.0.113.0/24',
  '224.0.0.0/3',
  '::/127',
  '64:ff9b:1::/48',
  '100::/64',
  '2001:db8::/32',
  'fc00::/7',
  'fe80::/10',
  'ff00::/8',
]);

/** True for addresses a geo lookup would only waste time on (see NOT_PUBLIC). */
export function isPublicIp(address: string): boolean {
  return (isIPv4(address) || isIPv6(address)) && !NOT_PUBLIC.has(address);
}
