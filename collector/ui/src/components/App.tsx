// The shell: header, the page the path names, footer.
import { useEffect, useRef, useState } from 'preact/hooks';
import { fetchMe, type Me } from '../api.js';
import { currentToken, onSignInNeeded, storeToken } from '../auth.js';
import { followLink, sessionIdFromPath, useLocation } from '../router.js';
import { isListPath } from '../prefetch.js';
import { LazyDetailPage } from './LazyDetailPage.js';
import { SessionsPage } from './SessionsPage.js';
import { SignInPage } from './SignInPage.js';

export function App() {
  const { path, search } = useLocation();
  const sessionId = sessionIdFromPath(path);
  const isList = isListPath(path);
  const [signIn, setSignIn] = useState(false);
  const [me, setMe] = useState<Me | undefined>(undefined);
  // Bumped on sign-in so the page remounts and fetches again with the token.
  const [generation, setGeneration] = useState(0);

  useEffect(() => onSignInNeeded(() => setSignIn(true)), []);
  useEffect(() => {
    // A token kept from earlier in this tab: show whose it is (a 401 here opens the sign-in page).
    if (currentToken() !== undefined) fetchMe().then(setMe, () => undefined);
  }, []);

  const signOut = () => {
    storeToken(undefined);
    setMe(undefined);
    setSignIn(true);
  };

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
          {me?.authRequired && !signIn && (
            <span class="who" data-testid="signed-in-as">
              {me.name} <span class="role">({me.role})</span>
              <button type="button" class="link-button" onClick={signOut} data-testid="sign-out">
                Sign out
              </button>
            </span>
          )}
        </nav>
      </header>
      <main id="main">
        {signIn ? (
          <SignInPage
            onSignedIn={(who) => {
              setMe(who);
              setSignIn(false);
              setGeneration((g) => g + 1);
            }}
          />
        ) : sessionId !== undefined ? (
          <LazyDetailPage key={`${generation}:${sessionId}`} sessionId={sessionId} />
        ) : isList ? (
          <SessionsPage key={generation} search={search} />
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
