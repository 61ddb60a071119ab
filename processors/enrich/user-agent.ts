import UAParser from 'ua-parser-js';
import { Lru } from './lru.js';

/** `stitch.device.type`: ua-parser-js's device types, plus desktop (its silence) and bot. */
export type DeviceType = 'desktop' | 'mobile' | 'tablet' | 'smarttv' | 'wearable' | 'console' | 'embedded' | 'bot';

/** What a User-Agent string says, every field optional but the device type. */
export interface UserAgentInfo {
  /** `user_agent.name`: "Chrome", "Mobile Safari", "Firefox", "Edge", "Samsung Browser"… */
  name?: string;
  /** `user_agent.version`: the full browser version, "120.0.0.0". */
  version?: string;
  /** `user_agent.os.name`: "macOS", "iOS", "Windows", "Android"… */
  osName?: string;
  /** `user_agent.os.version`: "10.15.7", "17.2". */
  osVersion?: string;
  deviceType: DeviceType;
  /** `device.model.name` as the User-Agent gives it: "iPhone", "iPad", "SM-T870". */
  deviceModel?: string;
  /** `device.manufacturer`: "Apple", "Samsung". */
  deviceManufacturer?: string;
}

const PARSER_DEVICE_TYPES = new Set<DeviceType>(['mobile', 'tablet', 'smarttv', 'wearable', 'console', 'embedded']);

// Crawlers, link previewers and monitors name themselves; ua-parser-js 1.0 does not flag them.
// `(?<!cu)` spares Cubot phones. Headless Chrome is not counted: tests and demo traffic use it.
const BOT = /(?<!cu)bot\b|crawler|spider|slurp|facebookexternalhit|mediapartners-google|bingpreview|chrome-lighthouse|pingdom|uptimerobot|ptst\//i;

// ua-parser-js 1.0 says "Mac OS"; semantic conventions and ua-parser-js 2.x say "macOS".
const OS_NAMES: Record<string, string> = { 'Mac OS': 'macOS' };

// ua-parser-js cuts User-Agents at 500 characters itself; cutting first also bounds cache keys.
const MAX_LENGTH = 500;
// Browsers send the same User-Agent on every request: a parse costs tens of µs, a hit well under one.
const cache = new Lru<string, Readonly<UserAgentInfo>>(2_000);

/**
 * Parses a User-Agent string with ua-parser-js 1.0 (MIT). Pure: the same string always gives the
 * same (frozen) answer; answers are memoised in a bounded LRU, so hot paths may call it freely.
 */
export function parseUserAgent(ua: string): Readonly<UserAgentInfo> {
  const key = ua.length > MAX_LENGTH ? ua.slice(0, MAX_LENGTH) : ua;
  const cached = cache.get(key);
  if (cached) return cached;
  const info = Object.freeze(parse(key));
  cache.set(key, info);
  return info;
}

function parse(ua: string): UserAgentInfo {
  const { browser, os, device } = new UAParser(ua).getResult();
  const parserType = device.type as DeviceType | undefined;
  const info: UserAgentInfo = {
    deviceType: BOT.test(ua) ? 'bot' : parserType && PARSER_DEVICE_TYPES.has(parserType) ? parserType : 'desktop',
  };
  if (browser.name) info.name = browser.name;
  if (browser.version) info.version = browser.version;
  if (os.name) info.osName = OS_NAMES[os.name] ?? os.name;
  if (os.version) info.osVersion = os.version;
  if (device.model) info.deviceModel = device.model;
  if (device.vendor) info.deviceManufacturer = device.vendor;
  return info;
}

/** The resource attributes a parse gives, under their semantic-convention names. */
export function userAgentAttributes(info: UserAgentInfo): Record<string, string> {
  const attributes: Record<string, string> = {};
  if (info.name) attributes['user_agent.name'] = info.name;
  if (info.version) attributes['user_agent.version'] = info.version;
  if (info.osName) attributes['user_agent.os.name'] = info.osName;
  if (info.osVersion) attributes['user_agent.os.version'] = info.osVersion;
  attributes['stitch.device.type'] = info.deviceType;
  if (info.deviceModel) attributes['device.model.name'] = info.deviceModel;
  if (info.deviceManufacturer) attributes['device.manufacturer'] = info.deviceManufacturer;
  return attributes;
}
