// Small shared pieces: API error messages, the loading line, the DB-IP credit.
import type { ComponentChildren } from 'preact';

export function ErrorMessage({ error, children }: { error: unknown; children?: ComponentChildren }) {
  const message = error instanceof Error ? error.message : String(error);
  return (
    <div class="notice notice-error" role="alert">
      <strong>Could not load data.</strong> {message}
      {children}
    </div>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p class="loading" role="status">
      Loading {what}…
    </p>
  );
}

/** DB-IP Lite is CC BY 4.0: the credit must show wherever locations derived from it are shown. */
export function GeoCredit() {
  return (
    <p class="geo-credit">
      <a href="https://db-ip.com" target="_blank" rel="noopener noreferrer">
        IP geolocation by DB-IP
      </a>
    </p>
  );
}
