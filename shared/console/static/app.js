// The console's entry point: sign-in, sign-out and which view is shown.
// Views live in the URL's query (?session=demo), never the API key.

import { api, apiKey, whenUnauthorized } from './api.js';
import { h, announce, showError } from './dom.js';
import { sessionsView } from './sessions.js';
import { sessionView } from './session.js';

const main = document.getElementById('main');
const signOutButton = document.getElementById('signout');
let current = null; // the view on screen: {el, stop()}

// show puts a view in <main>, stopping the previous one's polling, and
// moves the focus to its heading so keyboard and screen reader users land
// on the new content.
function show(view) {
  current?.stop?.();
  current = view;
  main.replaceChildren(view.el);
  window.scrollTo(0, 0);
  (view.focus ?? view.el.querySelector('h1'))?.focus({ preventScroll: true });
}

// navigate switches view without reloading: '' for the list, or
// '?session=<id>'.
function navigate(search) {
  history.pushState(null, '', search || location.pathname);
  route();
}

function route() {
  if (!apiKey.get()) {
    signOutButton.hidden = true;
    show(signInView());
    return;
  }
  signOutButton.hidden = false;
  const id = new URLSearchParams(location.search).get('session');
  show(id ? sessionView(id, navigate) : sessionsView(navigate));
}

function signInView(notice = '') {
  const error = h('p', { id: 'signin-error', class: 'error', role: 'alert', hidden: true });
  const input = h('input', {
    id: 'signin-key', name: 'key', type: 'password', required: true,
    autocomplete: 'off', spellcheck: 'false', 'aria-describedby': 'signin-hint',
  });
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Sign in');
  async function onsubmit(e) {
    e.preventDefault();
    const key = input.value.trim();
    if (!key) return;
    submit.disabled = true;
    showError(error, null);
    try {
      await api('GET', 'api/sessions?limit=1', undefined, key);
      apiKey.set(key);
      announce('Signed in.');
      route();
    } catch (err) {
      showError(error, err);
      input.focus();
      input.select();
    } finally {
      submit.disabled = false;
    }
  }
  const el = h('section', { class: 'card signin', 'aria-labelledby': 'signin-h' },
    h('h1', { id: 'signin-h', tabindex: '-1' }, 'Sign in'),
    notice && h('p', { class: 'notice' }, notice),
    h('form', { id: 'signin-form', onsubmit },
      h('label', { for: 'signin-key' }, 'API key'),
      input,
      h('p', { id: 'signin-hint', class: 'hint' },
        'The key wagate printed when it started (WAGATE_API_KEY). It stays in this tab only and is forgotten when you close it.'),
      error,
      submit));
  return { el, stop() {}, focus: input };
}

signOutButton.addEventListener('click', () => {
  apiKey.clear();
  history.pushState(null, '', location.pathname);
  route();
  announce('Signed out.');
});

whenUnauthorized(() => {
  apiKey.clear();
  signOutButton.hidden = true;
  show(signInView('The API key was refused. Sign in again.'));
});

window.addEventListener('popstate', route);
route();
