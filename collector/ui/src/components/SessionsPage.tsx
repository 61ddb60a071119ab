// The sessions list: filters from the URL, key figures, the table, "Load more" by API cursor.
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { fetchKpis, fetchSessions, type KpiResult, type SessionSummary } from '../api.js';
import { apiFilterQuery, apiListQuery, filtersToSearch, hasNarrowingFilters, parseFilters, type Filters } from '../filters.js';
import { navigate } from '../router.js';
import { Charts } from './Charts.js';
import { EmptyState } from './EmptyState.js';
import { FilterForm } from './FilterForm.js';
import { KpiTiles } from './KpiTiles.js';
import { ErrorMessage, GeoCredit, Loading } from './Notices.js';
import { SessionTable } from './SessionTable.js';
import { takePrefetched } from '../prefetch.js';
import { preloadDetailPage } from './LazyDetailPage.js';

interface ListState {
  sessions: SessionSummary[];
  nextCursor: string | null;
  loading: boolean;
  error?: unknown;
  /** The page query string these rows answer: tests (and nothing else) wait on it. */
  loadedFor?: string;
}

export function SessionsPage({ search }: { search: string }) {
  const filters = useMemo(() => parseFilters(search), [search]);
  const [kpis, setKpis] = useState<{ data?: KpiResult; error?: unknown }>({});
  const [list, setList] = useState<ListState>({ sessions: [], nextCursor: null, loading: true });
  const moreAbort = useRef<AbortController | undefined>(undefined);
  // The charts are drawn after the rows are on screen: the rows are what people came for.
  const [chartsDue, setChartsDue] = useState(false);

  // A layout effect starts the requests right after render; a plain effect waits for the next frame,
  // which a busy or background tab can delay by hundreds of milliseconds.
  useLayoutEffect(() => {
    document.title = 'Sessions · Stitch';
    const abort = new AbortController();
    moreAbort.current?.abort();
    setList((l) => ({ ...l, loading: true, error: undefined }));
    // The first view uses the requests prefetch.ts started at load; they cannot be aborted, so every
    // answer is checked against this view still being current.
    const early = takePrefetched(search);
    (early?.sessions ?? fetchSessions(apiListQuery(filters), abort.signal)).then(
      (page) => !abort.signal.aborted && setList({ sessions: page.sessions, nextCursor: page.nextCursor, loading: false, loadedFor: search }),
      (error: unknown) => !abort.signal.aborted && setList({ sessions: [], nextCursor: null, loading: false, error, loadedFor: search }),
    );
    (early?.kpis ?? fetchKpis(apiFilterQuery(filters), abort.signal)).then(
      (data) => !abort.signal.aborted && setKpis({ data }),
      (error: unknown) => !abort.signal.aborted && setKpis({ error }),
    );
    return () => abort.abort();
  }, [filters]);

  // A User Timing mark when rows are on screen: devtools and the UI tests read how fast the list loads.
  useEffect(() => {
    if (list.loadedFor === undefined) return;
    performance.mark('stitch:sessions-rendered', { detail: { rows: list.sessions.length } });
    // Effects run after the browser has painted: the charts' render comes after the rows' paint.
    setChartsDue(true);
    preloadDetailPage();
  }, [list.loadedFor, list.sessions.length]);

  const apply = (next: Filters) => navigate(`/${filtersToSearch(next)}`);

  const loadMore = () => {
    if (!list.nextCursor) return;
    const abort = new AbortController();
    moreAbort.current = abort;
    setList((l) => ({ ...l, loading: true }));
    fetchSessions(apiListQuery(filters, list.nextCursor), abort.signal).then(
      (page) => setList((l) => ({ ...l, sessions: [...l.sessions, ...page.sessions], nextCursor: page.nextCursor, loading: false })),
      (error: unknown) => !abort.signal.aborted && setList((l) => ({ ...l, loading: false, error })),
    );
  };

  const firstLoad = list.loading && list.sessions.length === 0;
  return (
    <>
      <h1 tabIndex={-1}>Sessions</h1>
      <FilterForm filters={filters} onApply={apply} />
      {/* The key figures wait for the rows too (they usually arrive first): one layout and paint for both. */}
      {kpis.error ? (
        <ErrorMessage error={kpis.error} />
      ) : kpis.data && list.loadedFor !== undefined ? (
        <>
          <KpiTiles kpis={kpis.data} />
          {kpis.data.totals.sessions > 0 && (chartsDue ? <Charts kpis={kpis.data} filters={filters} /> : <div class="charts charts-pending" aria-hidden="true" />)}
        </>
      ) : (
        <Loading what="key figures" />
      )}
      <section aria-label="Sessions list" aria-busy={list.loading} data-testid="sessions-section" data-state={firstLoad ? 'loading' : list.error ? 'error' : 'ready'} data-loaded-for={list.loadedFor}>
        {list.error !== undefined && <ErrorMessage error={list.error} />}
        {firstLoad ? (
          <Loading what="sessions" />
        ) : list.sessions.length > 0 ? (
          <>
            <SessionTable sessions={list.sessions} sort={filters.sort} order={filters.order} onSort={(sort, order) => apply({ ...filters, sort, order })} />
            <p class="list-footer">
              <span role="status" data-testid="row-count">
                {list.sessions.length} session{list.sessions.length === 1 ? '' : 's'} shown{list.nextCursor ? '' : ', all loaded'}
              </span>
              {list.nextCursor && (
                <button type="button" data-testid="load-more" disabled={list.loading} onClick={loadMore}>
                  {list.loading ? 'Loading…' : 'Load more'}
                </button>
              )}
            </p>
            <GeoCredit />
          </>
        ) : list.error === undefined ? (
          <EmptyState filtered={hasNarrowingFilters(filters)} />
        ) : null}
      </section>
    </>
  );
}
