import { z } from 'zod';
import { parseCidr } from '../net/ip.js';

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Parses a Go-style duration ("200ms", "1.5s", "5m", "1h30m", plus "30d" for retention periods); returns milliseconds or undefined. */
export function parseDuration(text: string): number | undefined {
  let rest = text.trim();
  if (rest === '0') return 0;
  let total = 0;
  while (rest.length > 0) {
    const match = /^(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h|d)/.exec(rest);
    if (!match) return undefined;
    total += Number(match[1]) * UNIT_MS[match[2]!]!;
    rest = rest.slice(match[0].length);
  }
  return text.trim() === '' ? undefined : total;
}

/** A duration written "200ms", "1s", "5m" (a bare number is milliseconds); the value is milliseconds. */
export const duration = () =>
  z.union([z.number().nonnegative(), z.string()]).transform((value, ctx) => {
    if (typeof value === 'number') return value;
    const ms = parseDuration(value);
    if (ms === undefined) {
      ctx.addIssue({ code: 'custom', message: `expected a duration such as "200ms", "5s" or "1m", got ${JSON.stringify(value)}` });
      return z.NEVER;
    }
    return ms;
  });

/** `host:port` or `:port` (all interfaces), as the OpenTelemetry Collector writes endpoints. */
export const hostPort = () =>
  z.string().refine((value) => /^(\[[0-9a-fA-F:]+\]|[^:\s]*):\d{1,5}$/.test(value) && Number(value.split(':').pop()) <= 65535, {
    message: 'expected host:port such as "127.0.0.1:4318"',
  });

/** A CIDR range (`10.0.0.0/8`, `2001:db8::/32`) or one IP address: trusted proxies and the like. */
export const cidr = () =>
  z.string().refine((value) => parseCidr(value) !== undefined, {
    message: 'expected a CIDR range such as "10.0.0.0/8" or "2001:db8::/32", or one IP address',
  });

/** An absolute http(s) URL. */
export const httpUrl = () =>
  z.string().refine(
    (value) => {
      try {
        const url = new URL(value);
        return url.protocol === 'http:' || url.protocol === 'https:';
      } catch {
        return false;
      }
    },
    { message: 'expected a URL' },
  );

/** Splits `host:port` into what `server.listen` takes. */
export function splitHostPort(endpoint: string): { host: string; port: number } {
  const index = endpoint.lastIndexOf(':');
  const host = endpoint.slice(0, index).replace(/^\[|\]$/g, '');
  return { host: host === '' ? '0.0.0.0' : host, port: Number(endpoint.slice(index + 1)) };
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** One config problem: the full key path and what is wrong there. */
export interface ConfigProblem {
  path: string;
  message: string;
}

/** Validates `value` against `schema`; problems carry paths below `basePath`. */
export function validateConfig<C>(
  schema: z.ZodType<C>,
  value: unknown,
  basePath: string,
): { ok: true; config: C } | { ok: false; problems: ConfigProblem[] } {
  const result = schema.safeParse(value ?? {}, { reportInput: true });
  if (result.success) return { ok: true, config: result.data };
  const problems: ConfigProblem[] = [];
  for (const issue of result.error.issues) {
    const base = [basePath, ...issue.path.map(String)].filter(Boolean).join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) problems.push({ path: `${base}.${key}`, message: 'unknown key' });
    } else if (issue.code === 'invalid_type') {
      problems.push({ path: base, message: `expected ${issue.expected}, got ${describe(issue.input)}` });
    } else if (issue.code === 'custom' && issue.message.includes(', got ')) {
      problems.push({ path: base, message: issue.message });
    } else {
      problems.push({ path: base, message: `${issue.message}, got ${describe(issue.input)}` });
    }
  }
  return { ok: false, problems };
}

export { z };
