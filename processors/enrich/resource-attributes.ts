import { formatIp, maskIp, normalizeIp, parseIp, type AttributeValue, type ResourceRecord } from '@stitch/collector-api';
import type { GeoInfo } from './geo-database.js';
import { parseUserAgent, userAgentAttributes } from './user-agent.js';

export const USER_AGENT_ORIGINAL = 'user_agent.original';
export const SDK_LANGUAGE = 'telemetry.sdk.language';
export const CLIENT_ADDRESS = 'client.address';

const BROWSER_MARKERS = [Buffer.from(USER_AGENT_ORIGINAL), Buffer.from('webjs')];

/**
 * A resource that looks like browser telemetry: it carries `user_agent.original` or says
 * `telemetry.sdk.language: webjs`. An undecoded resource whose bytes contain neither string is
 * answered without decoding it: backend resources then cross the processor as their bytes.
 */
export function isBrowserResource(resource: ResourceRecord): boolean {
  if (!resource.isDecoded) {
    const bytes = resource.encode();
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (!BROWSER_MARKERS.some((marker) => buffer.includes(marker))) return false;
  }
  return typeof resource.attribute(USER_AGENT_ORIGINAL) === 'string' || resource.attribute(SDK_LANGUAGE) === 'webjs';
}

/** Sets each attribute the resource does not have yet: what the sender said wins. Returns how many were set. */
function setMissing(resource: ResourceRecord, attributes: Record<string, string>): number {
  let set = 0;
  for (const [key, value] of Object.entries(attributes)) {
    if (resource.attribute(key) !== undefined) continue;
    resource.setAttribute(key, value);
    set++;
  }
  return set;
}

/** Adds what `user_agent.original` says (browser, OS, device). Returns whether anything was added. */
export function addUserAgent(resource: ResourceRecord): boolean {
  const ua = resource.attribute(USER_AGENT_ORIGINAL);
  if (typeof ua !== 'string' || ua === '') return false;
  return setMissing(resource, userAgentAttributes(parseUserAgent(ua))) > 0;
}

/** Adds `geo.*` attributes. Returns whether anything was added. */
export function addGeo(resource: ResourceRecord, geo: GeoInfo): boolean {
  const attributes: Record<string, string> = { 'geo.country.iso_code': geo.countryIsoCode };
  if (geo.regionIsoCode) attributes['geo.region.iso_code'] = geo.regionIsoCode;
  if (geo.localityName) attributes['geo.locality.name'] = geo.localityName;
  if (geo.continentCode) attributes['geo.continent.code'] = geo.continentCode;
  return setMissing(resource, attributes) > 0;
}

export type StorePolicy = 'drop' | 'truncate' | 'keep';
export interface ClientAddressPolicy {
  store: StorePolicy;
  ipv4_prefix: number;
  ipv6_prefix: number;
}

/** The address cut to its network (`203.0.113.77` /24 → `203.0.113.0`); undefined when it is not an IP. */
export function truncateIp(address: string, policy: Pick<ClientAddressPolicy, 'ipv4_prefix' | 'ipv6_prefix'>): string | undefined {
  const parsed = parseIp(normalizeIp(address));
  if (!parsed) return undefined;
  return formatIp(maskIp(parsed, parsed.family === 4 ? policy.ipv4_prefix : policy.ipv6_prefix));
}

/**
 * Applies `store` to `client.address`: the sender's value when it set one, else the request's
 * client IP. `drop` removes it, `keep` keeps it, `truncate` keeps only its network; a value that is
 * not an IP cannot be truncated and is removed (privacy wins over keeping an unknown string).
 * Returns whether the resource changed.
 */
export function applyClientAddress(resource: ResourceRecord, clientIp: string | undefined, policy: ClientAddressPolicy): boolean {
  const existing: AttributeValue | undefined = resource.attribute(CLIENT_ADDRESS);
  if (policy.store === 'drop') {
    if (existing === undefined) return false;
    resource.removeAttribute(CLIENT_ADDRESS);
    return true;
  }
  if (policy.store === 'keep') {
    if (existing !== undefined || clientIp === undefined) return false;
    resource.setAttribute(CLIENT_ADDRESS, clientIp);
    return true;
  }
  const source = existing !== undefined ? existing : clientIp;
  if (source === undefined) return false;
  const truncated = typeof source === 'string' ? truncateIp(source, policy) : undefined;
  if (truncated === undefined) {
    resource.removeAttribute(CLIENT_ADDRESS);
    return existing !== undefined;
  }
  if (truncated === existing) return false;
  resource.setAttribute(CLIENT_ADDRESS, truncated);
  return true;
}
