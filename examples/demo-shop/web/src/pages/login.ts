// login.html: e-mail and password; on success the user is remembered and put on the telemetry.
import { ApiError } from '../api.js';
import { clearError, h, mount, showError } from '../dom.js';
import { showAccount } from '../header.js';
import { identify, reportProblem, track } from '../telemetry.js';
import { rememberUser } from '../user.js';
import type { PageContext } from './context.js';

export async function renderLogin({ api }: PageContext): Promise<void> {
  const email = h('input', { id: 'email', name: 'email', type: 'email', required: true, autocomplete: 'username', 'data-testid': 'email' });
  const password = h('input', { id: 'password', name: 'password', type: 'password', required: true, autocomplete: 'current-password', 'data-testid': 'password' });
  const submit = h('button', { type: 'submit', 'data-testid': 'login-submit' }, 'Sign in');
  const form = h(
    'form',
    { id: 'login-form', name: 'login' },
    h('p', {}, h('label', { for: 'email' }, 'E-mail'), email),
    h('p', {}, h('label', { for: 'password' }, 'Password'), password),
    h('p', {}, submit),
  );
  const result = h('p', { 'data-testid': 'login-result', hidden: true });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearError();
    submit.disabled = true;
    try {
      const user = await api.login(email.value, password.value);
      rememberUser(user);
      identify(user);
      track('shop.login');
      form.hidden = true;
      result.replaceChildren(`Signed in as ${user.name}. `, h('a', { href: '/' }, 'Continue shopping'));
      result.hidden = false;
      showAccount();
    } catch (error) {
      const refused = error instanceof ApiError && error.status === 401;
      showError(refused ? 'Invalid e-mail or password.' : error instanceof Error ? error.message : String(error));
      reportProblem('shop.login_failed', { 'http.response.status_code': error instanceof ApiError ? error.status : -1 }, 'WARN');
    } finally {
      submit.disabled = false;
    }
  });
  mount(h('h1', {}, 'Sign in'), h('p', { class: 'hint' }, 'Demo account: demo@shop.example / demo'), form, result);
}
