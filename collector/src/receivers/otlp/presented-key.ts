import type { IncomingHttpHeaders } from 'node:http';

/** Where a request carried its ingest key. */
export type KeySource = 'authorization' | 'x-stitch-key' | 'query';

export interface PresentedKey {
  value: string;
  from: KeySource;
}

/** The query parameter for `navigator.sendBeacon`, which cannot set headers (browser keys only). */
export const KEY_QUERY_PARAMETER = 'stitch_key';

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The key a request presents: `Authorization: Bearer <key>`, else `x-stitch-key: <key>`, else the
 * `stitch_key` query parameter. Headers win over the URL. Another Authorization scheme (Basic…)
 * is not a key and is skipped.
 */
export function presentedKey(headers: IncomingHttpHeaders, search: string): PresentedKey | undefined {
  const bearer = BEARER.exec(single(headers.authorization) ?? '')?.[1];
  if (bearer) return { value: bearer, from: 'authorization' };
  const header = single(headers['x-stitch-key'])?.trim();
  if (header) return { value: header, from: 'x-stitch-key' };
  if (search === '') return undefined;
  const query = new URLSearchParams(search).get(KEY_QUERY_PARAMETER);
  return query ? { value: query, from: 'query' } : undefined;
}
