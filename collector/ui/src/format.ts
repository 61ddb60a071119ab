// How values read on screen: local times with their offset, durations in the unit that fits,
// country names from ISO codes. Pure functions.

const pad = (n: number) => String(Math.floor(Math.abs(n))).padStart(2, '0');

const dateFormat = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', year: 'numeric' });
const timeFormat = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });

/** `+05:30`: the browser's offset from UTC at that instant (summer time included). */
export function utcOffset(date: Date): string {
  const minutes = -date.getTimezoneOffset();
  return `${minutes < 0 ? '-' : '+'}${pad(minutes / 60)}:${pad(minutes % 60)}`;
}

/** `Dec 15, 2025 17:42:20 +05:30` in the browser's time zone: people read times in their own zone. */
export function formatDateTime(ms: number): string {
  const date = new Date(ms);
  return `${dateFormat.format(date)} ${timeFormat.format(date)} ${utcOffset(date)}`;
}

const axisFormat = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** `Dec 15, 17:00`: chart axis labels, local. */
export function formatAxisTime(ms: number): string {
  return axisFormat.format(new Date(ms));
}

/** `17:42:20` local. */
export function formatTime(ms: number): string {
  return timeFormat.format(new Date(ms));
}

/** `42.0 sec`, `5.18 min`, `1.46 hr`. */
export function formatDuration(ms: number | null): string {
  if (ms === null) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} sec`;
  if (ms < 3_600_000) return `${(ms / 60_000).toFixed(2)} min`;
  return `${(ms / 3_600_000).toFixed(2)} hr`;
}

/** Offsets on the timeline: `+0 ms`, `+1.2 s`, `+3:05`. */
export function formatOffset(ms: number): string {
  if (ms < 1000) return `+${Math.round(ms)} ms`;
  if (ms < 60_000) return `+${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.floor(ms / 1000);
  const hours = Math.floor(seconds / 3600);
  const rest = `${pad((seconds % 3600) / 60)}:${pad(seconds % 60)}`;
  return hours > 0 ? `+${hours}:${rest}` : `+${Math.floor(seconds / 60)}:${pad(seconds % 60)}`;
}

export function formatPercent(share: number | null): string {
  return share === null ? '–' : `${(share * 100).toFixed(1)} %`;
}

// toLocaleString with options builds a new NumberFormat on every call: one per precision instead.
const numberFormats = new Map<number, Intl.NumberFormat>();

export function formatNumber(value: number | null, digits = 0): string {
  if (value === null) return '–';
  let format = numberFormats.get(digits);
  if (!format) numberFormats.set(digits, (format = new Intl.NumberFormat('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })));
  return format.format(value);
}

let regionNames: Intl.DisplayNames | undefined;

/** `DE` → `Germany`; an unknown or malformed code is shown as sent. */
export function countryName(code: string | null): string {
  if (!code) return 'Unknown';
  try {
    regionNames ??= new Intl.DisplayNames(['en'], { type: 'region', fallback: 'code' });
    return regionNames.of(code.toUpperCase()) ?? code;
  } catch {
    return code;
  }
}

/** `Germany`, `germany` or `de` → `DE`: the store keeps ISO codes, people type either. Unknown input is returned trimmed. */
export function countryCode(input: string): string {
  const value = input.trim();
  if (/^[a-z]{2}$/i.test(value)) return value.toUpperCase();
  const wanted = value.toLowerCase();
  for (let a = 65; a <= 90; a++) {
    for (let b = 65; b <= 90; b++) {
      const code = String.fromCharCode(a, b);
      // Retired codes (DD for Germany, ZR…) share names with current ones: canonicalize to the current code.
      if (countryName(code).toLowerCase() === wanted) return Intl.getCanonicalLocales(`und-${code}`)[0]?.split('-')[1] ?? code;
    }
  }
  return value;
}

/** `Germany - Berlin`, `India - Unknown`: the list's location column. */
export function formatLocation(country: string | null, city: string | null): string {
  return `${countryName(country)} - ${city ?? 'Unknown'}`;
}

export function formatVersioned(name: string | null, version: string | null): string {
  if (!name) return 'Unknown';
  return version ? `${name} ${version}` : name;
}
