// Shown when the sessions API answers 401: asks for a token from extensions.sessions_api.auth.tokens,
// checks it with /api/me before keeping it, and says what went wrong when it does not fit.
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, fetchMe, type Me } from '../api.js';
import { currentToken, signedIn } from '../auth.js';

export function SignInPage({ onSignedIn }: { onSignedIn: (me: Me) => void }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);
  const [checking, setChecking] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const hadToken = currentToken() !== undefined;

  useEffect(() => {
    document.title = 'Sign in · Stitch';
    input.current?.focus();
  }, []);

  const submit = async (event: Event) => {
    event.preventDefault();
    const candidate = token.trim();
    if (candidate === '') {
      setError('Enter your access token.');
      return;
    }
    setChecking(true);
    setError(undefined);
    try {
      const me = await fetchMe(candidate);
      signedIn(candidate);
      onSignedIn(me);
    } catch (failure) {
      setChecking(false);
      setError(
        failure instanceof ApiError && failure.status === 401
          ? 'That token is not valid. Ask your Stitch admin for one (extensions.sessions_api.auth.tokens).'
          : failure instanceof Error
            ? failure.message
            : String(failure),
      );
      input.current?.focus();
    }
  };

  return (
    <section class="sign-in" data-testid="sign-in">
      <h1 tabIndex={-1}>Sign in</h1>
      <p>
        {hadToken ? 'Your token was not accepted any more. ' : ''}
        This collector's sessions API needs an access token. Your role (viewer, analyst or admin) decides what you see.
      </p>
      <form onSubmit={submit} noValidate>
        <label for="token">Access token</label>
        <input
          id="token"
          ref={input}
          name="token"
          type="password"
          autocomplete="current-password"
          value={token}
          aria-invalid={error !== undefined}
          aria-describedby={error ? 'token-error' : undefined}
          onInput={(e) => setToken((e.target as HTMLInputElement).value)}
        />
        <button type="submit" class="primary" disabled={checking} data-testid="sign-in-submit">
          {checking ? 'Checking…' : 'Sign in'}
        </button>
        {error && (
          <p id="token-error" class="notice notice-error" role="alert">
            {error}
          </p>
        )}
      </form>
      <p class="hint">The token stays in this tab only (session storage) and is sent to this collector's API alone.</p>
    </section>
  );
}
