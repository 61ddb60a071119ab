// The sessions table: one row per session, sortable by the columns the API can sort by.
import type { SessionSummary } from '../api.js';
import type { SortColumn, SortOrder } from '../filters.js';
import { formatDateTime, formatDuration, formatLocation } from '../format.js';
import { followLink } from '../router.js';

interface Props {
  sessions: SessionSummary[];
  sort: SortColumn;
  order: SortOrder;
  onSort(column: SortColumn, order: SortOrder): void;
}

const TEXT_COLUMNS: ReadonlySet<SortColumn> = new Set(['user', 'location', 'device']);

function SortHeader({ column, label, sort, order, onSort }: { column: SortColumn; label: string } & Omit<Props, 'sessions'>) {
  const active = sort === column;
  // A new column starts at its useful end: most first for time, duration and errors; A to Z for text.
  const first: SortOrder = TEXT_COLUMNS.has(column) ? 'asc' : 'desc';
  const next: SortOrder = active ? (order === 'desc' ? 'asc' : 'desc') : first;
  return (
    <th scope="col" aria-sort={active ? (order === 'asc' ? 'ascending' : 'descending') : 'none'}>
      <button type="button" class="sort" data-testid={`sort-${column}`} onClick={() => onSort(column, next)}>
        {label}
        <span aria-hidden="true">{active ? (order === 'asc' ? ' ▲' : ' ▼') : ' ↕'}</span>
      </button>
    </th>
  );
}

export function userLabel(session: SessionSummary): string {
  return session.userEmail ?? session.userName ?? session.userId ?? 'Anonymous';
}

export function SessionTable(props: Props) {
  const header = (column: SortColumn, label: string) => <SortHeader column={column} label={label} sort={props.sort} order={props.order} onSort={props.onSort} />;
  return (
    <div class="table-wrap">
      <table class="sessions" data-testid="sessions-table">
        <caption class="visually-hidden">Sessions; column headers with buttons sort the list</caption>
        <colgroup>
          <col class="col-start" />
          <col class="col-user" />
          <col class="col-duration" />
          <col class="col-pages" />
          <col class="col-errors" />
          <col class="col-where" />
          <col class="col-device" />
        </colgroup>
        <thead>
          <tr>
            {header('start', 'Start')}
            {header('user', 'User')}
            {header('duration', 'Time spent')}
            {header('pageViews', 'Pages')}
            {header('errors', 'Errors')}
            {header('location', 'Location · browser · OS')}
            {header('device', 'Device')}
          </tr>
        </thead>
        <tbody>
          {props.sessions.map((s) => (
            <tr key={s.sessionId} data-testid="session-row" data-session-id={s.sessionId}>
              <td data-label="Start">
                <a href={`/sessions/${encodeURIComponent(s.sessionId)}`} onClick={followLink} data-testid="session-link">
                  {formatDateTime(s.startMs)}
                </a>
              </td>
              <td data-label="User" class="user" data-testid="cell-user">
                {userLabel(s)}
              </td>
              <td data-label="Time spent" data-testid="cell-duration">
                {formatDuration(s.durationMs)}
              </td>
              <td data-label="Pages">{s.pageViews}</td>
              <td data-label="Errors" data-testid="cell-errors">
                <span class={s.errors > 0 ? 'badge badge-error' : 'badge'}>{s.errors}</span>
              </td>
              <td data-label="Where · browser · OS" data-testid="cell-where">
                {formatLocation(s.country, s.city)} · {s.browser ?? 'Unknown'} · {s.os ?? 'Unknown'}
              </td>
              <td data-label="Device" data-testid="cell-device">
                {s.deviceType ?? 'Unknown'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
