// The list's filters as they live in the page URL (so a link reopens the same view), and the API
// queries they turn into. The URL uses the API's parameter names where one exists.

export const RANGE_PRESETS = ['15m', '1h', '6h', '24h', '7d', '30d'] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number];
export const DEFAULT_RANGE: RangePreset = '24h';

export const SORT_COLUMNS = ['start', 'duration', 'errors', 'pageViews', 'user', 'location', 'device'] as const;
export type SortColumn = (typeof SORT_COLUMNS)[number];
export type SortOrder = 'asc' | 'desc';

export const DURATION_PRESETS = {
  // max_duration is inclusive: "under a minute" is at most 59 999 ms.
  short: { label: 'Short (< 1 min)', min: '', max: '59999' },
  medium: { label: 'Medium (1–10 min)', min: '1m', max: '10m' },
  long: { label: 'Long (> 10 min)', min: '600001', max: '' },
} as const;
export type DurationPreset = keyof typeof DURATION_PRESETS;

/** Text filters passed to the API unchanged (URL name = API name). */
export const TEXT_FILTERS = ['user', 'country', 'city', 'browser', 'os', 'device', 'environment', 'version', 'q'] as const;
export type TextFilter = (typeof TEXT_FILTERS)[number];

export interface Filters extends Record<TextFilter, string> {
  /** A preset, or 'custom' with `from`/`to` (ISO 8601 UTC). */
  range: RangePreset | 'custom';
  from: string;
  to: string;
  /** '', 'none', 'any' or 'more' (with errorsAbove). */
  errors: '' | 'none' | 'any' | 'more';
  errorsAbove: string;
  duration: '' | DurationPreset | 'custom';
  minDuration: string;
  maxDuration: string;
  sort: SortColumn;
  order: SortOrder;
}

export const EMPTY_FILTERS: Filters = {
  range: DEFAULT_RANGE,
  from: '',
  to: '',
  user: '',
  country: '',
  city: '',
  browser: '',
  os: '',
  device: '',
  environment: '',
  version: '',
  q: '',
  errors: '',
  errorsAbove: '',
  duration: '',
  minDuration: '',
  maxDuration: '',
  sort: 'start',
  order: 'desc',
};

const oneOf = <T extends string>(value: string | null, allowed: readonly T[]): T | undefined => (allowed as readonly string[]).includes(value ?? '') ? (value as T) : undefined;

/** Reads the page's query string; anything unknown or malformed falls back to the default. */
export function parseFilters(search: string): Filters {
  const p = new URLSearchParams(search);
  const get = (name: string) => (p.get(name) ?? '').trim();
  const filters: Filters = { ...EMPTY_FILTERS };
  for (const name of TEXT_FILTERS) filters[name] = get(name);
  if (get('from') || get('to')) {
    filters.range = 'custom';
    filters.from = get('from');
    filters.to = get('to');
  } else {
    filters.range = oneOf(get('range'), RANGE_PRESETS) ?? DEFAULT_RANGE;
  }
  const errors = get('errors');
  if (errors === 'none' || errors === 'any') filters.errors = errors;
  else if (/^\d+$/.test(errors)) [filters.errors, filters.errorsAbove] = ['more', errors];
  const duration = get('duration');
  if (oneOf(duration, Object.keys(DURATION_PRESETS) as DurationPreset[])) filters.duration = duration as DurationPreset;
  else if (get('min_duration') || get('max_duration')) [filters.duration, filters.minDuration, filters.maxDuration] = ['custom', get('min_duration'), get('max_duration')];
  filters.sort = oneOf(get('sort'), SORT_COLUMNS) ?? 'start';
  filters.order = get('order') === 'asc' ? 'asc' : 'desc';
  return filters;
}

/** The page's query string for `filters`: only what differs from the defaults, so links stay short. */
export function filtersToSearch(filters: Filters): string {
  const p = new URLSearchParams();
  if (filters.range === 'custom') {
    if (filters.from) p.set('from', filters.from);
    if (filters.to) p.set('to', filters.to);
  } else if (filters.range !== DEFAULT_RANGE) p.set('range', filters.range);
  for (const name of TEXT_FILTERS) if (filters[name].trim()) p.set(name, filters[name].trim());
  if (filters.errors === 'more') {
    if (filters.errorsAbove.trim()) p.set('errors', filters.errorsAbove.trim());
  } else if (filters.errors) p.set('errors', filters.errors);
  if (filters.duration === 'custom') {
    if (filters.minDuration.trim()) p.set('min_duration', filters.minDuration.trim());
    if (filters.maxDuration.trim()) p.set('max_duration', filters.maxDuration.trim());
  } else if (filters.duration) p.set('duration', filters.duration);
  if (filters.sort !== 'start') p.set('sort', filters.sort);
  if (filters.order !== 'desc') p.set('order', filters.order);
  const search = p.toString();
  return search ? `?${search}` : '';
}

/** Range and filters as /api/kpis and /api/sessions take them (the API refuses empty values). */
export function apiFilterQuery(filters: Filters): URLSearchParams {
  const p = new URLSearchParams();
  if (filters.range === 'custom') {
    if (filters.from) p.set('from', filters.from);
    if (filters.to) p.set('to', filters.to);
  } else p.set('range', filters.range);
  for (const name of TEXT_FILTERS) if (filters[name].trim()) p.set(name, filters[name].trim());
  if (filters.errors === 'more') p.set('errors', filters.errorsAbove.trim() || '0');
  else if (filters.errors) p.set('errors', filters.errors);
  const { min, max } =
    filters.duration === 'custom' ? { min: filters.minDuration.trim(), max: filters.maxDuration.trim() } : filters.duration ? DURATION_PRESETS[filters.duration] : { min: '', max: '' };
  if (min) p.set('min_duration', min);
  if (max) p.set('max_duration', max);
  return p;
}

/** /api/sessions: the filters plus sort, order, page size and cursor. */
export function apiListQuery(filters: Filters, cursor?: string, limit = 50): URLSearchParams {
  const p = apiFilterQuery(filters);
  p.set('sort', filters.sort);
  p.set('order', filters.order);
  p.set('limit', String(limit));
  if (cursor) p.set('cursor', cursor);
  return p;
}

/** How many filters beyond the time range and sort are set. */
export function activeFilterCount(filters: Filters): number {
  return TEXT_FILTERS.filter((name) => filters[name].trim() !== '').length + (filters.errors ? 1 : 0) + (filters.duration ? 1 : 0);
}

/** True when any filter beyond the time range and sort is set: the empty state then says "no match" rather than "no data". */
export function hasNarrowingFilters(filters: Filters): boolean {
  return activeFilterCount(filters) > 0;
}

/** `2025-03-01T12:00:00.000Z` → the value a datetime-local input shows, in the browser's zone. */
export function isoToLocalInput(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return '';
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
}

/** A datetime-local input's value (local time) → ISO 8601 UTC for the URL and the API. */
export function localInputToIso(value: string): string {
  if (!value) return '';
  const ms = new Date(value).getTime();
  return Number.isNaN(ms) ? '' : new Date(ms).toISOString();
}
