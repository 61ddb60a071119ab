import { z } from '@stitch/collector-api';

/**
 * Bounds on what one request may hold, beside the body size: each protects the process from data
 * that is small on the wire but large once decoded (millions of empty spans, deep kvlists).
 */
export const DEFAULT_LIMITS = {
  /** Spans, log records or metric data points in one request; also bounds resource and scope groups. */
  max_items_per_request: 100_000,
  /** Attributes in one attribute list (a span's, an event's, a log record's, a data point's…). */
  max_attributes: 256,
  /** Characters of a string attribute value (bytes of a bytes value), nested values included. */
  max_attribute_value_length: 65_536,
  /** Elements of an array value, entries of a kvlist value. */
  max_array_length: 1024,
  /** How deep array and kvlist values may nest in an attribute or a log body (a flat value is depth 0). */
  max_value_depth: 16,
} as const;

const positive = (fallback: number) => z.number().int().positive().default(fallback);

export const limitsSchema = z.strictObject({
  max_items_per_request: positive(DEFAULT_LIMITS.max_items_per_request),
  max_attributes: positive(DEFAULT_LIMITS.max_attributes),
  max_attribute_value_length: positive(DEFAULT_LIMITS.max_attribute_value_length),
  max_array_length: positive(DEFAULT_LIMITS.max_array_length),
  max_value_depth: positive(DEFAULT_LIMITS.max_value_depth),
});

export type OtlpLimitsConfig = z.output<typeof limitsSchema>;
