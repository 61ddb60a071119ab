/** What an unallowed query value becomes: the web SDK's URL scrubbing writes the same. */
export const REDACTED_QUERY_VALUE = 'REDACTED';

export type UrlFinding = 'url_query' | 'url_userinfo';

function decodeKey(key: string): string {
  try {
    return decodeURIComponent(key.replace(/\+/g, ' ')).toLowerCase();
  } catch {
    return key.toLowerCase();
  }
}

/**
 * Scrubs URL query strings: every value whose key is not in `allow` (lower case) becomes
 * `REDACTED`; keys, order and the rest of the URL are kept byte for byte, so an untouched URL
 * compares equal and routes and paths still read.
 */
export class UrlScrubber {
  constructor(private readonly allow: ReadonlySet<string>) {}

  /** A query string, with or without its leading "?". */
  query(query: string, found: (kind: UrlFinding) => void): string {
    let changed = false;
    const parts = query.split('&').map((part) => {
      const eq = part.indexOf('=');
      if (eq < 0) return part; // a bare flag ("?debug") has no value to hide
      const value = part.slice(eq + 1);
      if (value === '' || value === REDACTED_QUERY_VALUE) return part;
      const key = part.slice(0, eq);
      if (this.allow.has(decodeKey(key.replace(/^\?/, '')))) return part;
      changed = true;
      found('url_query');
      return `${key}=${REDACTED_QUERY_VALUE}`;
    });
    return changed ? parts.join('&') : query;
  }

  /** A whole URL, absolute or relative: user:password dropped, query and fragment parameters scrubbed. */
  url(url: string, found: (kind: UrlFinding) => void): string {
    let out = url;
    const userinfo = /^([A-Za-z][A-Za-z0-9+.-]*:\/\/)([^/?#@\s]*)@/.exec(out);
    if (userinfo) {
      out = userinfo[1]! + out.slice(userinfo[0].length);
      found('url_userinfo');
    }
    const hash = out.indexOf('#');
    const beforeHash = hash < 0 ? out : out.slice(0, hash);
    let fragment = hash < 0 ? undefined : out.slice(hash + 1);
    const q = beforeHash.indexOf('?');
    const head = q < 0 ? beforeHash : beforeHash.slice(0, q + 1) + this.query(beforeHash.slice(q + 1), found);
    if (fragment !== undefined) {
      // Hash routers put a query after the route ("#/cart?coupon=…"); OAuth puts tokens in the
      // fragment itself ("#access_token=…").
      const fq = fragment.indexOf('?');
      if (fq >= 0) fragment = fragment.slice(0, fq + 1) + this.query(fragment.slice(fq + 1), found);
      else if (/^[^/=&]+=/.test(fragment)) fragment = this.query(fragment, found);
    }
    const result = fragment === undefined ? head : `${head}#${fragment}`;
    return result === url ? url : result;
  }

  /** URLs inside free text ("GET /search?q=… failed", a link in a log line). */
  inText(text: string, found: (kind: UrlFinding) => void): string {
    if (!text.includes('?') && !text.includes('@') && !text.includes('#')) return text;
    return text.replace(URL_IN_TEXT, (token) => {
      // A sentence's closing punctuation is not part of the URL.
      const trail = /[).,;:!]+$/.exec(token)?.[0] ?? '';
      return this.url(token.slice(0, token.length - trail.length), found) + trail;
    });
  }
}

const URL_IN_TEXT = /\bhttps?:\/\/[^\s"'<>]+|(?<![\w/.:])\/[^\s"'<>?#]*[?#][^\s"'<>]+/g;
