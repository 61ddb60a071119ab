// Values seen in the selected range for the free-text filters (country, browser, OS, version,
// environment), offered as <datalist> suggestions. Fetched once per range, and only when the
// person first focuses the filter fields: most visits never need them.
import { useEffect, useState } from 'preact/hooks';
import { fetchKpis } from './api.js';
import type { Filters } from './filters.js';

export const SUGGESTED = { country: 'country', browser: 'browser', os: 'os', version: 'version', environment: 'environment' } as const;
export type SuggestedField = keyof typeof SUGGESTED;
export type Suggestions = Partial<Record<SuggestedField, string[]>>;

function rangeQuery(filters: Filters): URLSearchParams {
  const p = new URLSearchParams();
  if (filters.range === 'custom') {
    if (filters.from) p.set('from', filters.from);
    if (filters.to) p.set('to', filters.to);
  } else p.set('range', filters.range);
  return p;
}

export function useSuggestions(filters: Filters, wanted: boolean): Suggestions {
  const [suggestions, setSuggestions] = useState<Suggestions>({});
  const key = rangeQuery(filters).toString();
  useEffect(() => {
    if (!wanted) return;
    const abort = new AbortController();
    for (const field of Object.keys(SUGGESTED) as SuggestedField[]) {
      const query = new URLSearchParams(key);
      query.set('group_by', SUGGESTED[field]);
      // Suggestions are a convenience: a failure leaves the field a plain text box.
      fetchKpis(query, abort.signal).then(
        (kpis) => setSuggestions((s) => ({ ...s, [field]: (kpis.groups ?? []).flatMap((g) => (g.key === null ? [] : [g.key])) })),
        () => undefined,
      );
    }
    return () => abort.abort();
  }, [key, wanted]);
  return suggestions;
}
