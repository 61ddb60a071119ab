import { isIPv4, isIPv6 } from 'node:net';
import { ibanValid, luhnValid } from './checksums.js';

export const DETECTOR_NAMES = ['email', 'credit_card', 'iban', 'phone', 'jwt', 'bearer_token', 'api_key', 'ipv4', 'ipv6'] as const;
export type DetectorName = (typeof DETECTOR_NAMES)[number];

/**
 * One kind of personal data or secret found in free text. `pattern` finds candidates (global);
 * `accept` returns how much of the candidate, from its start, is the real thing — or 0 when the
 * candidate is a false positive (a card number failing Luhn, a version that looks like an IP).
 */
interface Detector {
  name: DetectorName;
  /** A cheap test that rules a string out before any regex runs. */
  mayMatch(text: string): boolean;
  pattern: RegExp;
  accept(match: string, text: string, index: number): number;
}

const hasDigit = (text: string) => /\d/.test(text);
const whole = (match: string) => match.length;
/** A value this processor (or the web SDK's URL scrubbing) already wrote is never matched again. */
const alreadyRedacted = (value: string) => value.startsWith('REDACTED') || value.startsWith('[REDACTED');

// Image and script names such as "logo@2x.png" or "chunk@1.4.js" are not addresses.
const FILE_EXTENSIONS = new Set(['png', 'jpg', 'jpeg', 'gif', 'svg', 'webp', 'avif', 'ico', 'js', 'mjs', 'cjs', 'ts', 'tsx', 'jsx', 'css', 'map', 'json', 'html', 'htm', 'wasm', 'woff', 'woff2']);

const email: Detector = {
  name: 'email',
  mayMatch: (text) => text.includes('@'),
  pattern: /(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.[A-Za-z]{2,24}(?![A-Za-z0-9-])/g,
  accept: (match) => (FILE_EXTENSIONS.has(match.slice(match.lastIndexOf('.') + 1).toLowerCase()) ? 0 : match.length),
};

/**
 * Cards: 13–19 digits, single spaces or dashes between them, starting 2–6 (Visa, Mastercard, Amex,
 * Discover, JCB, Diners, UnionPay, Maestro; 0/1/7/8/9 are never payment cards, which keeps epoch
 * timestamps out), not inside a longer number, and passing Luhn.
 */
const creditCard: Detector = {
  name: 'credit_card',
  mayMatch: hasDigit,
  pattern: /(?<![A-Za-z0-9_.,+-])[2-6]\d(?:[ -]?\d){11,17}(?![A-Za-z0-9_-]|[.,]\d)/g,
  accept: (match) => {
    // "4111 1111 1111 1111 2" (a card, then a number): try dropping trailing groups.
    const groups = match.split(/[ -]/);
    for (let count = groups.length; count >= 1; count--) {
      const digits = groups.slice(0, count).join('');
      if (digits.length < 13) return 0;
      if (digits.length <= 19 && luhnValid(digits)) return groups.slice(0, count).join(' ').length;
    }
    return 0;
  },
};

const iban: Detector = {
  name: 'iban',
  mayMatch: hasDigit,
  pattern: /(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?(?![A-Za-z0-9])/g,
  accept: (match) => (ibanValid(match.replace(/ /g, '')) ? match.length : 0),
};

/**
 * Phones, conservatively: international numbers written with "+" (8–15 digits), North American
 * "(415) 555-2671" / "415-555-2671", and national numbers starting 0 in groups ("020 7946 0958",
 * "06 12 34 56 78"). Never next to letters, dots, slashes or colons, so dates, times, versions,
 * UUIDs and ids are not phones.
 */
const phone: Detector = {
  name: 'phone',
  mayMatch: hasDigit,
  pattern:
    /(?:(?<![A-Za-z0-9_+\-./])\+[1-9]\d{0,2}(?:[ .-]?\(?\d{1,4}\)?){2,6}|(?<![A-Za-z0-9_+\-./:])(?:(?:\(\d{3}\) ?|\d{3}[ .-])\d{3}[ .-]\d{4}|0\d{1,4}(?:[ -]\d{2,4}){2,4}))(?![A-Za-z0-9_]|[.\-/:]\d)/g,
  accept: (match) => {
    const digits = match.replace(/\D/g, '').length;
    if (match.startsWith('+')) return digits >= 8 && digits <= 15 ? match.length : 0;
    if (match.startsWith('0')) {
      // One kind of separator throughout, 9–12 digits: "01-02-2024" is a date, not a phone.
      const separators = new Set(match.replace(/\d/g, ''));
      return separators.size === 1 && digits >= 9 && digits <= 12 ? match.length : 0;
    }
    return digits === 10 ? match.length : 0;
  },
};

const jwt: Detector = {
  name: 'jwt',
  mayMatch: (text) => text.includes('eyJ'),
  pattern: /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*(?![A-Za-z0-9_-])/g,
  accept: (match) => {
    // The header must be base64url JSON ("eyJ" is how '{"' encodes): random text rarely is.
    try {
      const header: unknown = JSON.parse(Buffer.from(match.slice(0, match.indexOf('.')), 'base64url').toString('utf8'));
      return typeof header === 'object' && header !== null ? match.length : 0;
    } catch {
      return 0;
    }
  },
};

/** The credentials after "Bearer " (the scheme word is kept, so the text still reads). */
const bearerToken: Detector = {
  name: 'bearer_token',
  mayMatch: (text) => /bearer/i.test(text),
  pattern: /(?<=\bbearer\s+)[A-Za-z0-9\-._~+/]{8,}=*/gi,
  accept: (match) => {
    if (alreadyRedacted(match)) return 0;
    // "Bearer authentication" is prose: a token has a digit or punctuation, or is long.
    return /[\d\-._~+/=]/.test(match) || match.length >= 20 ? match.length : 0;
  },
};

const apiKey: Detector = {
  name: 'api_key',
  mayMatch: () => true,
  pattern:
    /(?<![A-Za-z0-9_])(?:(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{10,}|A(?:KIA|SIA)[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,}|xox[baprs]-[A-Za-z0-9-]{10,}|AIza[0-9A-Za-z_-]{35})(?![A-Za-z0-9])|(?<=\b[Aa][Pp][Ii][_-]?[Kk][Ee][Yy]["']?\s*[=:]\s*["']?)[^\s&"',;}\]]{4,}/g,
  accept: (match) => (alreadyRedacted(match) ? 0 : match.length),
};

const IPV4 = /(?<![A-Za-z0-9_.-])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?![A-Za-z0-9_-]|\.\d)/g;

/**
 * Addresses that say nothing about a person are kept: loopback, unspecified, and network
 * addresses ending in .0 / "::" (what `enrich` stores after truncating a client IP).
 */
function personalIpv4(ip: string): boolean {
  return !ip.startsWith('127.') && !ip.endsWith('.0');
}
function personalIpv6(ip: string): boolean {
  const lower = ip.toLowerCase();
  return lower !== '::1' && !lower.endsWith('::') && !lower.startsWith('::ffff:127.');
}

const ipv4: Detector = {
  name: 'ipv4',
  mayMatch: (text) => text.includes('.'),
  pattern: IPV4,
  accept: (match, text, index) => {
    // "version 1.2.3.4" and "SomeApp/1.2.3.4" (a User-Agent product token) are versions; a URL's
    // host follows "//", not a letter and a slash.
    if (/(?:(?:version|ver)[\s:=]*|[A-Za-z]\/)$/i.test(text.slice(Math.max(0, index - 12), index))) return 0;
    return isIPv4(match) && personalIpv4(match) ? match.length : 0;
  },
};

const ipv6: Detector = {
  name: 'ipv6',
  mayMatch: (text) => text.indexOf(':') !== text.lastIndexOf(':'),
  pattern: /(?<![A-Za-z0-9_:.%-])[0-9A-Fa-f.:]*:[0-9A-Fa-f.:]*:[0-9A-Fa-f.:]*(?![A-Za-z0-9_])/g,
  accept: (match) => {
    const candidate = match.replace(/\.+$/, ''); // a sentence's full stop
    // A real address has digits ("Cafe::Bead" is C++ or Ruby); 12:30:45 and MACs fail isIPv6.
    return hasDigit(candidate) && isIPv6(candidate) && personalIpv6(candidate) ? candidate.length : 0;
  },
};

/** Order matters: earlier detectors claim text first (a JWT before a bearer token, IPv6 before IPv4). */
const ALL: readonly Detector[] = [jwt, bearerToken, apiKey, email, iban, creditCard, ipv6, ipv4, phone];

export type DetectorSet = readonly Detector[];

export function detectorSet(names: readonly DetectorName[]): DetectorSet {
  return ALL.filter((detector) => names.includes(detector.name));
}

/**
 * Replaces what each detector finds in `text` by `[REDACTED:<name>]`, calling `found` once per
 * replacement. Returns `text` itself when nothing was found.
 */
export function redactText(text: string, detectors: DetectorSet, found: (name: DetectorName) => void): string {
  let out = text;
  for (const detector of detectors) {
    if (!detector.mayMatch(out)) continue;
    const pattern = detector.pattern;
    pattern.lastIndex = 0;
    let result = '';
    let copied = 0;
    for (let m = pattern.exec(out); m !== null; m = pattern.exec(out)) {
      const length = detector.accept(m[0], out, m.index);
      if (m[0].length === 0) pattern.lastIndex++;
      if (length === 0) continue;
      result += `${out.slice(copied, m.index)}[REDACTED:${detector.name}]`;
      copied = m.index + length;
      pattern.lastIndex = copied;
      found(detector.name);
    }
    if (copied > 0) out = result + out.slice(copied);
  }
  return out;
}
