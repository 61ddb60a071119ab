// Pure parsers for single query values. Each throws QueryParameterError naming the parameter and
// what it accepts, so that the 400 a client gets says how to fix the request.
import { parseDuration } from '@stitch/collector-api';
import { QueryParameterError } from './query-error.js';

/** Longest value of a plain filter (country, service…): longer is a mistake or an abuse, not a name. */
export const MAX_FILTER_LENGTH = 256;

export function quoted(text: string): string {
  const shown = text.length > 60 ? `${text.slice(0, 57)}...` : text;
  return JSON.stringify(shown);
}

/** A non-empty string of at most `maxLength` characters. */
export function parseText(name: string, value: string, maxLength = MAX_FILTER_LENGTH): string {
  if (value === '') throw new QueryParameterError(name, `${name} is empty: give a value, or leave the parameter out to not filter by it`);
  if (value.length > maxLength) throw new QueryParameterError(name, `${name} is ${value.length} characters long; at most ${maxLength} are allowed`);
  return value;
}

/** A whole number in [min, max], written in decimal digits. */
export function parseInteger(name: string, value: string, min: number, max: number): number {
  const number = /^\d{1,15}$/.test(value) ? Number(value) : NaN;
  if (!(number >= min && number <= max)) {
    throw new QueryParameterError(name, `${name} must be a whole number from ${min} to ${max}, got ${quoted(value)}`);
  }
  return number;
}

/** One of a fixed set of words. */
export function parseChoice<T extends string>(name: string, value: string, choices: readonly T[]): T {
  if (!(choices as readonly string[]).includes(value)) {
    throw new QueryParameterError(name, `${name} must be one of ${choices.join(', ')}, got ${quoted(value)}`);
  }
  return value as T;
}

// ISO 8601 as browsers and `date -Iseconds` write it: a date, optionally a time, optionally an offset.
const ISO_8601 = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?)(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

/**
 * An instant, as ISO 8601 (`2025-03-01`, `2025-03-01T12:00:00Z`, `…+02:00`) or epoch milliseconds.
 * A time without offset is UTC, so that the answer does not depend on the collector's time zone.
 */
export function parseInstant(name: string, value: string): number {
  const invalid = () =>
    new QueryParameterError(
      name,
      `${name} must be an ISO 8601 date-time such as 2025-03-01T12:00:00Z or epoch milliseconds such as 1740830400000, got ${quoted(value)}`,
    );
  if (/^\d{1,15}$/.test(value)) return Number(value);
  // An unencoded `+` in a query string arrives as a space: `…T12:00:00 02:00` meant `+02:00`.
  const repaired = value.replace(/ (\d{2}(?::?\d{2})?)$/, '+$1');
  const match = ISO_8601.exec(repaired);
  if (!match) throw invalid();
  const [, date, time, offset] = match;
  const text = time === undefined ? `${date}T00:00:00Z` : `${date}T${time.replace(',', '.')}${normalizeOffset(offset)}`;
  const ms = Date.parse(text);
  // Date.parse rolls 2025-02-30 over to March; a round trip of the date part catches it.
  if (Number.isNaN(ms) || new Date(Date.parse(`${date}T00:00:00Z`)).toISOString().slice(0, 10) !== date) throw invalid();
  return ms;
}

function normalizeOffset(offset: string | undefined): string {
  if (offset === undefined || offset.toUpperCase() === 'Z') return 'Z';
  const digits = offset.slice(1).replace(':', '');
  return `${offset[0]}${digits.slice(0, 2)}:${digits.slice(2, 4) || '00'}`;
}

/** A duration: `90s`, `10m`, `1h`, `1h30m`, `250ms`, or whole milliseconds. */
export function parseDurationMs(name: string, value: string): number {
  const ms = /^\d{1,15}$/.test(value) ? Number(value) : parseDuration(value);
  if (ms === undefined || value.trim() !== value) {
    throw new QueryParameterError(name, `${name} must be a duration such as 90s, 10m or 1h, or whole milliseconds, got ${quoted(value)}`);
  }
  return Math.round(ms);
}
