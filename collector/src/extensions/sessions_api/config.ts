import { hostPort, httpUrl, splitHostPort, z } from '@stitch/collector-api';

export const DEFAULT_ENDPOINT = '127.0.0.1:8686';

export const ROLES = ['viewer', 'analyst', 'admin'] as const;
export type Role = (typeof ROLES)[number];

const corsSchema = z.strictObject({
  /** Browser origins allowed to read the API from another origin; `*` wildcards as in the otlp receiver. */
  allowed_origins: z.array(z.string().min(1)).default([]),
});

const tokenSchema = z.strictObject({
  // An unset `${env:…}` arrives as "": refused (a blank token would match a blank header, or nobody).
  // A number is taken as text: otherwise the type error would print the token in the config error.
  token: z.preprocess(
    (value) => (typeof value === 'number' ? String(value) : value),
    z.string().min(1, 'is empty: set the environment variable it names (e.g. STITCH_VIEWER_TOKEN) to a long random value'),
  ),
  role: z.enum(ROLES),
  /** Who holds the token, as the audit log records the actor; never the token itself. */
  name: z.string().min(1).max(100),
});

const authSchema = z
  .strictObject({ tokens: z.array(tokenSchema).min(1, 'needs at least one token') })
  .superRefine((auth, ctx) => {
    const seen = new Set<string>();
    auth.tokens.forEach((entry, index) => {
      // The same token twice would make the actor (and role) ambiguous.
      if (seen.has(entry.token)) ctx.addIssue({ code: 'custom', path: ['tokens', index, 'token'], message: 'repeats the token of an earlier entry, got a duplicate (not shown): give each holder a token of its own', input: undefined });
      seen.add(entry.token);
    });
  });

/** True for addresses only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return bare === 'localhost' || bare === '::1' || /^127(\.\d{1,3}){3}$/.test(bare);
}

export const sessionsApiConfigSchema = z
  .strictObject({
    /** Loopback by default; any other address needs `auth`: the API returns personal data. */
    endpoint: hostPort().default(DEFAULT_ENDPOINT),
    /** The id of the `sessionstore` exporter (under `exporters:`) whose store the API reads. */
    store: z.string().min(1).default('sessionstore'),
    // An unset `${env:JAEGER_UI_URL}` arrives as "", which means "no links" rather than an error.
    jaeger_ui_url: z
      .union([z.literal(''), httpUrl()])
      .optional()
      .transform((url) => (url ? url.replace(/\/+$/, '') : undefined)),
    // Absent or null: no CORS headers, so only same-origin pages (the sessions UI) can read the API.
    cors: corsSchema.nullish().transform((cors) => cors ?? undefined),
    // Absent or null: no authentication, allowed on loopback only (checked below).
    auth: authSchema.nullish().transform((auth) => auth ?? undefined),
  })
  .superRefine((config, ctx) => {
    if (config.auth) return;
    let host: string;
    try {
      host = splitHostPort(config.endpoint).host;
    } catch {
      return; // hostPort() has reported it
    }
    if (!isLoopbackHost(host)) {
      ctx.addIssue({
        code: 'custom',
        path: ['endpoint'],
        message: 'is reachable from other machines but no auth is configured: the API returns personal data, so bind a loopback address (127.0.0.1) or add auth.tokens',
        input: config.endpoint,
      });
    }
  });

export type SessionsApiConfig = z.output<typeof sessionsApiConfigSchema>;
export type AuthToken = z.output<typeof tokenSchema>;
