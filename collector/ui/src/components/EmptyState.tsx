// What to do when the list is empty: with filters, widen them; without, no data has arrived yet,
// so show how to add @stitch/web (the snippet of docs/getting-started.md, section 5).
import { followLink } from '../router.js';

const SNIPPET = `import { Stitch } from '@stitch/web';
Stitch.init({
  endpoint: '${location.protocol}//${location.hostname}:4318',  // this collector's OTLP/HTTP receiver
  serviceName: 'shop-web', environment: 'dev', version: '0.1.0',
  propagateTo: [/^http:\\/\\/localhost:3001\\/api/],  // your backend gets traceparent + baggage session.id
});`;

export function EmptyState({ filtered }: { filtered: boolean }) {
  if (filtered) {
    return (
      <div class="empty" data-testid="empty-state">
        <h2>No session matches these filters</h2>
        <p>
          Widen the time range or <a href="/" onClick={followLink}>clear the filters</a>.
        </p>
      </div>
    );
  }
  return (
    <div class="empty" data-testid="empty-state">
      <h2>No sessions in this time range yet</h2>
      <p>
        Sessions appear here once a browser app sends telemetry with <code>@stitch/web</code>. Add it to your frontend (any bundler), pointing at this
        collector:
      </p>
      <pre>
        <code>{SNIPPET}</code>
      </pre>
      <p>
        Then open a few pages of your app and come back. Step by step, with the backend SDK: <code>docs/getting-started.md</code> in the Stitch
        repository. To see data at once, run the demo shop: <code>npm run demo -- --traffic 5</code>.
      </p>
    </div>
  );
}
