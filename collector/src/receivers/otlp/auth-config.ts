import { z } from '@stitch/collector-api';

// `${env:VAR}` of an unset variable arrives as "": without this check the receiver would start
// with a key anyone can send (the empty string), or silently open. Refusing to start is safer.
const keyValue = z.unknown().transform((value, ctx) => {
  if (value === undefined || value === null || value === '') {
    ctx.addIssue({
      code: 'custom',
      message: 'an ingest key is empty, got nothing: set the environment variable it reads (e.g. STITCH_SERVER_KEY) or remove this entry',
    });
    return z.NEVER;
  }
  // A whole `${env:VAR}` reference takes its YAML type: an all-digit key would arrive as a number
  // with its leading zeros or precision lost, so it is refused rather than silently changed.
  if (typeof value !== 'string') {
    ctx.addIssue({ code: 'custom', message: `expected the key as text, got ${typeof value}: use a random key with letters, e.g. \`openssl rand -hex 24\`` });
    return z.NEVER;
  }
  return value;
});

const keySchema = z
  .strictObject({
    key: keyValue,
    /** `server`: any caller holding it; `browser`: only from the listed Origins. */
    kind: z.enum(['server', 'browser']),
    /** Origins (CORS `allowed_origins` patterns) a browser key may be used from. */
    origins: z.array(z.string().min(1)).optional(),
  })
  .superRefine((entry, ctx) => {
    if (entry.kind === 'browser' && (entry.origins === undefined || entry.origins.length === 0)) {
      ctx.addIssue({ code: 'custom', path: ['origins'], message: 'a browser key needs origins, got none: list the sites allowed to use it' });
    }
    if (entry.kind === 'server' && entry.origins !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['origins'], message: 'only browser keys are bound to origins, got origins on a server key' });
    }
  });

export const authSchema = z
  .strictObject({
    /** Empty or absent: ingest stays open, as without `auth`. */
    keys: z.preprocess((value) => value ?? [], z.array(keySchema)),
  })
  .superRefine((auth, ctx) => {
    // Two entries with one key would make its kind (and origins) ambiguous.
    const seen = new Map<string, number>();
    auth.keys.forEach((entry, index) => {
      const first = seen.get(entry.key);
      if (first !== undefined) ctx.addIssue({ code: 'custom', path: ['keys', index, 'key'], message: `the same key as keys.${first}.key, got a duplicate` });
      else seen.set(entry.key, index);
    });
  });

export type OtlpAuthConfig = z.output<typeof authSchema>;
export type IngestKeyConfig = OtlpAuthConfig['keys'][number];
