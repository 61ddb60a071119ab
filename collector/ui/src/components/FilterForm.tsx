// The list's filters. Range presets apply at once; the other fields apply together with "Apply"
// (or Enter), so typing does not fire a query per keystroke.
import { useEffect, useState } from 'preact/hooks';
import {
  DURATION_PRESETS,
  EMPTY_FILTERS,
  RANGE_PRESETS,
  activeFilterCount,
  isoToLocalInput,
  localInputToIso,
  type DurationPreset,
  type Filters,
  type RangePreset,
  type TextFilter,
} from '../filters.js';
import { countryCode, countryName } from '../format.js';
import { SUGGESTED, useSuggestions, type SuggestedField } from '../suggestions.js';

const RANGE_LABELS: Record<RangePreset, string> = { '15m': '15 min', '1h': '1 hour', '6h': '6 hours', '24h': '24 hours', '7d': '7 days', '30d': '30 days' };

const TEXT_FIELDS: { name: TextFilter; label: string; placeholder: string }[] = [
  { name: 'q', label: 'Search', placeholder: 'URL, click target, error…' },
  { name: 'user', label: 'User', placeholder: 'id or e-mail' },
  { name: 'country', label: 'Country', placeholder: 'Germany or DE' },
  { name: 'city', label: 'City', placeholder: 'e.g. Berlin' },
  { name: 'browser', label: 'Browser', placeholder: 'e.g. Chrome' },
  { name: 'os', label: 'OS', placeholder: 'e.g. macOS' },
  { name: 'environment', label: 'Environment', placeholder: 'e.g. production' },
  { name: 'version', label: 'Version', placeholder: 'e.g. 1.4.0' },
];

interface Props {
  filters: Filters;
  onApply(filters: Filters): void;
}

export function FilterForm({ filters, onApply }: Props) {
  const [draft, setDraft] = useState(filters);
  // The URL is the truth: back/forward or a new link resets the fields.
  useEffect(() => setDraft(filters), [filters]);
  const set = <K extends keyof Filters>(name: K, value: Filters[K]) => setDraft((d) => ({ ...d, [name]: value }));
  const input = (name: keyof Filters) => (event: Event) => set(name, (event.currentTarget as HTMLInputElement).value as never);

  const pickRange = (range: RangePreset) => onApply({ ...draft, range, from: '', to: '' });
  // On phones the fields fold behind a button so the sessions stay in view; wide screens always show them.
  const [unfolded, setUnfolded] = useState(false);
  const active = activeFilterCount(filters);
  const [wantSuggestions, setWantSuggestions] = useState(false);
  const suggestions = useSuggestions(filters, wantSuggestions);

  return (
    <section class="filters" aria-label="Filters">
      <div class="ranges" role="group" aria-label="Time range">
        {RANGE_PRESETS.map((range) => (
          <button type="button" key={range} aria-pressed={filters.range === range} data-testid={`range-${range}`} onClick={() => pickRange(range)}>
            {RANGE_LABELS[range]}
          </button>
        ))}
        <button type="button" aria-pressed={draft.range === 'custom'} data-testid="range-custom" onClick={() => {
          set('range', 'custom');
          setUnfolded(true);
        }}>
          Custom…
        </button>
      </div>
      <button type="button" class="filters-toggle" aria-expanded={unfolded} aria-controls="filter-form" onClick={() => setUnfolded(!unfolded)}>
        {unfolded ? 'Hide filters' : 'Filters'}
        {active > 0 ? ` (${active} active)` : ''}
      </button>
      <form
        id="filter-form"
        class={unfolded ? '' : 'folded'}
        onFocusIn={() => setWantSuggestions(true)}
        onSubmit={(event) => {
          event.preventDefault();
          onApply({ ...draft, country: countryCode(draft.country) });
        }}
      >
        {draft.range === 'custom' && (
          <div class="field-row">
            <label>
              From
              <input type="datetime-local" name="from" value={isoToLocalInput(draft.from)} onInput={(e) => set('from', localInputToIso((e.currentTarget as HTMLInputElement).value))} />
            </label>
            <label>
              To
              <input type="datetime-local" name="to" value={isoToLocalInput(draft.to)} onInput={(e) => set('to', localInputToIso((e.currentTarget as HTMLInputElement).value))} />
            </label>
          </div>
        )}
        <div class="fields">
          {TEXT_FIELDS.map(({ name, label, placeholder }) => (
            <label key={name}>
              {label}
              <input type="text" name={name} value={draft[name]} placeholder={placeholder} maxLength={256} onInput={input(name)} list={name in SUGGESTED ? `suggest-${name}` : undefined} autoComplete="off" />
            </label>
          ))}
          <label>
            Device
            <select name="device" value={draft.device} onChange={input('device')}>
              <option value="">Any</option>
              <option value="desktop">Desktop</option>
              <option value="mobile">Mobile</option>
              <option value="tablet">Tablet</option>
            </select>
          </label>
          <label>
            Errors
            <select name="errors" value={draft.errors} onChange={input('errors')}>
              <option value="">Any number</option>
              <option value="none">None</option>
              <option value="any">At least one</option>
              <option value="more">More than…</option>
            </select>
          </label>
          {draft.errors === 'more' && (
            <label>
              More than (errors)
              <input type="number" name="errorsAbove" min={0} step={1} inputMode="numeric" value={draft.errorsAbove} onInput={input('errorsAbove')} />
            </label>
          )}
          <label>
            Duration
            <select name="duration" value={draft.duration} onChange={input('duration')}>
              <option value="">Any</option>
              {(Object.keys(DURATION_PRESETS) as DurationPreset[]).map((key) => (
                <option key={key} value={key}>
                  {DURATION_PRESETS[key].label}
                </option>
              ))}
              <option value="custom">Custom…</option>
            </select>
          </label>
          {draft.duration === 'custom' && (
            <>
              <label>
                At least
                <input type="text" name="minDuration" placeholder="e.g. 90s, 5m" value={draft.minDuration} onInput={input('minDuration')} />
              </label>
              <label>
                At most
                <input type="text" name="maxDuration" placeholder="e.g. 1h30m" value={draft.maxDuration} onInput={input('maxDuration')} />
              </label>
            </>
          )}
        </div>
        {(Object.keys(SUGGESTED) as SuggestedField[]).map((field) => (
          <datalist id={`suggest-${field}`} key={field}>
            {(suggestions[field] ?? []).map((value) => (
              <option key={value} value={value}>
                {field === 'country' ? countryName(value) : value}
              </option>
            ))}
          </datalist>
        ))}
        <div class="actions">
          <button type="submit" class="primary" data-testid="apply-filters">
            Apply filters
          </button>
          <button type="button" data-testid="clear-filters" onClick={() => onApply({ ...EMPTY_FILTERS, range: filters.range === 'custom' ? EMPTY_FILTERS.range : filters.range })}>
            Clear
          </button>
        </div>
      </form>
    </section>
  );
}
