// Page URLs become route templates so Web Vitals can be broken down by page without a series per
// product id: `https://shop.example.com/products/42?ref=x` → `/products/:id`.

const NUMERIC = /^\d+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Hex ids (object ids, hashes) have a digit somewhere: words like `cafe` or `deadbeef` stay. */
const HEX_ID = /^(?=[a-f]*\d)[0-9a-f]{8,}$/i;
const MAX_SEGMENTS = 8;

export const UNKNOWN_ROUTE = 'unknown';

function templateSegment(segment: string): string {
  let decoded = segment;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    // A malformed escape is kept as written.
  }
  return NUMERIC.test(decoded) || UUID.test(decoded) || HEX_ID.test(decoded) ? ':id' : segment;
}

/** The path of `url` (absolute or a bare path) with id-like segments as `:id`; query and fragment dropped. */
export function routeTemplate(url: string | undefined): string {
  if (!url) return UNKNOWN_ROUTE;
  let path: string;
  try {
    path = new URL(url, 'http://relative.invalid').pathname;
  } catch {
    return UNKNOWN_ROUTE;
  }
  const segments = path.split('/').filter((s) => s !== '');
  // Very deep paths are rarely routes of their own: cut them so they share a series.
  const kept = segments.slice(0, MAX_SEGMENTS).map(templateSegment);
  if (segments.length > MAX_SEGMENTS) kept.push('*');
  return `/${kept.join('/')}`;
}
