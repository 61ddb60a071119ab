// The shell: header, the page the path names, footer.
import { useEffect, useRef } from 'preact/hooks';
import { followLink, sessionIdFromPath, useLocation } from '../router.js';
import { isListPath } from '../prefetch.js';
import { DetailPage } from './DetailPage.js';
import { SessionsPage } from './SessionsPage.js';

export function App() {
  const { path, search } = useLocation();
  const sessionId = sessionIdFromPath(path);
  const isList = isListPath(path);

  // After an in-app navigation the new page starts at the top with focus on its heading, so screen
  // readers announce it; the first load leaves focus where the browser puts it (skip link first).
  const firstPath = useRef(true);
  useEffect(() => {
    if (firstPath.current) {
      firstPath.current = false;
      return;
    }
    document.querySelector<HTMLElement>('main h1')?.focus({ preventScroll: true });
    window.scrollTo(0, 0);
  }, [path]);

  return (
    <>
      <a class="skip-link" href="#main">Skip to content</a>
      <header class="app-header">
        <a class="brand" href="/" onClick={followLink}>
          Stitch <span>sessions</span>
        </a>
        <nav aria-label="Links">
          <a href="/api/openapi.json">API</a>
        </nav>
      </header>
      <main id="main">
        {sessionId !== undefined ? (
          <DetailPage key={sessionId} sessionId={sessionId} />
        ) : isList ? (
          <SessionsPage search={search} />
        ) : (
          <section>
            <h1 tabIndex={-1}>Page not found</h1>
            <p>
              Nothing lives at <code>{path}</code>. <a href="/" onClick={followLink}>Back to the sessions list</a>.
            </p>
          </section>
        )}
      </main>
    </>
  );
}
