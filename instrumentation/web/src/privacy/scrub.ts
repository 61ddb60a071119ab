/** Query values become this, except for allowlisted keys. */
export const REDACTED = 'REDACTED';

/**
 * Scrubs a URL before it leaves the page: drops user:password, replaces every query value with
 * `REDACTED` unless its key is allowlisted, and drops the fragment's query-like part
 * (`#/route?token=…` keeps `#/route`). The path is kept. Relative URLs are resolved against `base`.
 */
export function scrubUrl(url: string, allowlist: readonly string[] = [], base?: string): string {
  let u: URL;
  try {
    u = new URL(url, base ?? (typeof location !== 'undefined' ? location.href : undefined));
  } catch {
    // Not a URL we can parse: keep only what is before any query or fragment.
    return url.split(/[?#]/)[0] ?? '';
  }
  u.username = '';
  u.password = '';
  if (u.search) {
    const parts: string[] = [];
    for (const [key, value] of u.searchParams) {
      parts.push(`${encodeURIComponent(key)}=${allowlist.includes(key) ? encodeURIComponent(value) : REDACTED}`);
    }
    u.search = parts.join('&');
  }
  if (u.hash) {
    // Hash routers: keep the route, scrub a query inside the fragment; drop anything token-like.
    const [route, query] = u.hash.split('?', 2) as [string, string | undefined];
    const safeRoute = /(access_token|id_token|token|code)=/i.test(route) ? '' : route;
    u.hash = query === undefined ? safeRoute : `${safeRoute}?${scrubUrl(`http://x/?${query}`, allowlist).split('?')[1] ?? ''}`;
  }
  return u.href;
}
