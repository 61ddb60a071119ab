import { z } from '@stitch/collector-api';
import { DETECTOR_NAMES } from './detectors.js';

const keyList = () => z.array(z.string().min(1));

const hashSchema = z.strictObject({
  /** Attribute keys whose values are replaced by their HMAC-SHA256 (hex). */
  keys: keyList().default([]),
  /** The HMAC key; required (non-empty) as soon as `keys` names anything. */
  hmac_key: z.string().default(''),
});

export const redactionConfigSchema = z
  .strictObject({
    /** When non-empty, every attribute not listed (and not protected) is removed. */
    allowed_keys: keyList().default([]),
    /** Attributes whose value is replaced whatever it is; also matched as the last key segments. */
    blocked_keys: keyList().default(['password', 'authorization', 'cookie', 'set-cookie']),
    /** Which detectors scan string values, names and bodies. */
    detectors: z.array(z.enum(DETECTOR_NAMES)).default([...DETECTOR_NAMES]),
    url_query: z
      .strictObject({
        /** Query keys whose values are kept; every other value becomes "REDACTED". */
        allow: keyList().default(['utm_source', 'utm_medium', 'page']),
      })
      .prefault({}),
    hash: hashSchema.prefault({}),
    /** Record `stitch.redaction.count` and `stitch.redaction.keys` on each changed record. */
    summary: z.boolean().default(true),
  })
  .superRefine((config, ctx) => {
    // Hashing without a key would be a plain SHA-256 of a user id: reversible by guessing. Refuse.
    if (config.hash.keys.length > 0 && config.hash.hmac_key.trim() === '') {
      ctx.addIssue({
        code: 'custom',
        path: ['hash', 'hmac_key'],
        message: `hash.keys is set (${config.hash.keys.join(', ')}), so an HMAC key is required (e.g. hmac_key: \${env:STITCH_HMAC_KEY}), got an empty key`,
      });
    }
  });

export type RedactionConfig = z.output<typeof redactionConfigSchema>;
