import type { ConsumeContext } from '../component/interfaces.js';
import { normalizeIp, parseIp, type CidrSet } from './ip.js';

/** One `X-Forwarded-For` hop without brackets or port: `[2001:db8::1]:443` → `2001:db8::1`. */
function hopAddress(hop: string): string {
  const text = hop.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(text);
  if (bracketed) return normalizeIp(bracketed[1]!);
  const v4WithPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(text);
  return normalizeIp(v4WithPort ? v4WithPort[1]! : text);
}

/**
 * The address of the client that sent a request, or undefined when it cannot be known.
 *
 * `X-Forwarded-For` is only believed when the socket peer is a trusted proxy: anyone can write the
 * header, so from an untrusted peer it is ignored and the peer is the client. From a trusted peer
 * the hops are read right to left (each proxy appends the address it saw) and the first one that
 * is not itself a trusted proxy is the client — the right-most untrusted hop, since hops left of
 * it were written by the client and may be forged. A hop that is not an address makes the client
 * unknown rather than guessed.
 */
export function clientIpOf(client: ConsumeContext['client'], trustedProxies: CidrSet): string | undefined {
  if (!client) return undefined;
  const peer = normalizeIp(client.address);
  if (!parseIp(peer)) return undefined;
  if (!client.forwardedFor || !trustedProxies.has(peer)) return peer;
  const hops = client.forwardedFor
    .split(',')
    .map(hopAddress)
    .filter((hop) => hop !== '');
  for (let index = hops.length - 1; index >= 0; index--) {
    const hop = hops[index]!;
    if (!parseIp(hop)) return undefined;
    if (!trustedProxies.has(hop)) return hop;
  }
  // Every hop is a trusted proxy (or the header was empty): the left-most is where it began.
  return hops[0] ?? peer;
}
