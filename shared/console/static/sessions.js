// The sessions list: every number with its live status, the lifecycle
// buttons and the form to create a session.

import { api, seg } from './api.js';
import { h, announce, showError, setText, when, every, replaceKeepingFocus } from './dom.js';
import { updateBadge, phone, statusLabel } from './status.js';

const POLL_MS = 2000;

export function sessionsView(navigate) {
  const loadError = h('p', { class: 'error', hidden: true });
  const actionError = h('p', { id: 'sessions-error', class: 'error', role: 'alert', hidden: true });
  const tbody = h('tbody');
  const empty = h('p', { class: 'empty', hidden: true },
    'No sessions yet. Create one below, then scan its QR code with the phone.');
  const table = h('table', { id: 'sessions', class: 'list' },
    h('caption', { class: 'vh' }, 'Sessions, refreshed every 2 seconds'),
    h('thead', {}, h('tr', {},
      ...['Session', 'Status', 'Phone', 'Profile name', 'Last activity'].map((c) => h('th', { scope: 'col' }, c)),
      h('th', { scope: 'col' }, h('span', { class: 'vh' }, 'Actions')))),
    tbody);

  const rows = new Map(); // sessionId → {tr, update(session)}
  const profiles = new Map(); // sessionId → profile name, for connected sessions
  let statuses = null; // sessionId → status at the last poll (null before the first)
  let order = '';

  async function refresh() {
    let sessions;
    try {
      ({ data: { sessions } } = await api('GET', 'api/sessions?limit=100'));
      showError(loadError, null);
    } catch (err) {
      if (err.status !== 401) showError(loadError, err);
      return;
    }
    await loadProfiles(sessions);
    const changes = [];
    const next = new Map();
    for (const s of sessions) {
      if (statuses && statuses.get(s.sessionId) !== s.status) {
        changes.push(`${s.sessionId}: ${statusLabel(s.status)}.`);
      }
      next.set(s.sessionId, s.status);
      if (!rows.has(s.sessionId)) rows.set(s.sessionId, row(s));
      rows.get(s.sessionId).update(s, profiles.get(s.sessionId));
    }
    for (const id of rows.keys()) if (!next.has(id)) rows.delete(id);
    const nextOrder = sessions.map((s) => s.sessionId).join('\n');
    if (nextOrder !== order) {
      order = nextOrder;
      replaceKeepingFocus(tbody, sessions.map((s) => rows.get(s.sessionId).tr));
    }
    empty.hidden = sessions.length > 0;
    table.hidden = sessions.length === 0;
    statuses = next;
    if (changes.length) announce(changes.join(' '));
  }

  // loadProfiles fetches the profile name of connected sessions once; it
  // is fetched again after the session reconnects.
  async function loadProfiles(sessions) {
    for (const s of sessions) if (s.status !== 'connected') profiles.delete(s.sessionId);
    await Promise.all(sessions
      .filter((s) => s.status === 'connected' && !profiles.has(s.sessionId))
      .map(async (s) => {
        try {
          const { data } = await api('GET', `api/sessions/${seg(s.sessionId)}`);
          profiles.set(s.sessionId, data.session.profile?.name ?? '');
        } catch { /* shown as unknown; asked again next time */ }
      }));
  }

  function row(s) {
    const id = s.sessionId;
    const name = h('span', { class: 'sub' });
    const badge = h('span', { class: 'badge' });
    const phoneCell = h('td');
    const profileCell = h('td');
    const activityCell = h('td');
    const open = (e) => {
      if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey) return;
      e.preventDefault();
      navigate(`?session=${seg(id)}`);
    };
    const tr = h('tr', { 'data-key': id },
      h('th', { scope: 'row' }, h('a', { href: `?session=${seg(id)}`, onclick: open }, id), name),
      h('td', {}, badge), phoneCell, profileCell, activityCell,
      h('td', {}, h('div', { class: 'actions' },
        action('Connect', id, 'POST', `api/sessions/${seg(id)}/connect`),
        action('Disconnect', id, 'POST', `api/sessions/${seg(id)}/disconnect`),
        action('Restart', id, 'POST', `api/sessions/${seg(id)}/restart`),
        action('Delete', id, 'DELETE', `api/sessions/${seg(id)}`,
          `Delete session ${id}? It is disconnected and the phone is unlinked; this cannot be undone.`))));
    return {
      tr,
      update(s, profileName) {
        setText(name, s.sessionName && s.sessionName !== id ? s.sessionName : '');
        updateBadge(badge, s.status);
        setText(phoneCell, phone(s.phoneNumber));
        setText(profileCell, profileName || '—');
        activityCell.replaceChildren(when(s.lastActivity));
      },
    };
  }

  // action is a row button; confirmText asks first (for Delete).
  function action(label, id, method, path, confirmText) {
    const button = h('button', { type: 'button', class: label === 'Delete' ? 'danger' : '' },
      label, h('span', { class: 'vh' }, ` ${id}`));
    button.addEventListener('click', async () => {
      if (confirmText && !window.confirm(confirmText)) return;
      button.disabled = true;
      showError(actionError, null);
      try {
        const env = await api(method, path);
        announce(env.message || `${label}: done.`);
        poll.now();
      } catch (err) {
        showError(actionError, err);
      } finally {
        button.disabled = false;
      }
    });
    return button;
  }

  const el = h('section', { 'aria-labelledby': 'sessions-h' },
    h('div', { class: 'heading' },
      h('h1', { id: 'sessions-h', tabindex: '-1' }, 'Sessions'),
      h('p', { class: 'lead' }, 'Each session is one WhatsApp number linked to wagate.')),
    h('div', { class: 'card' }, loadError, actionError, table, empty),
    createForm(navigate));

  const poll = every(POLL_MS, refresh);
  return { el, stop: poll.stop };
}

function createForm(navigate) {
  const error = h('p', { id: 'create-error', class: 'error', role: 'alert', hidden: true });
  const idInput = h('input', {
    id: 'new-session-id', name: 'sessionId', autocomplete: 'off', spellcheck: 'false',
    'aria-describedby': 'new-session-id-hint',
  });
  const nameInput = h('input', { id: 'new-session-name', name: 'sessionName', autocomplete: 'off' });
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Create session');
  async function onsubmit(e) {
    e.preventDefault();
    submit.disabled = true;
    showError(error, null);
    const body = {};
    if (idInput.value.trim()) body.sessionId = idInput.value.trim();
    if (nameInput.value.trim()) body.sessionName = nameInput.value.trim();
    try {
      const { data } = await api('POST', 'api/sessions', body);
      announce(`Session ${data.sessionId} created. Scan its QR code with the phone.`);
      navigate(`?session=${seg(data.sessionId)}`);
    } catch (err) {
      showError(error, err);
      submit.disabled = false;
    }
  }
  return h('section', { class: 'card', 'aria-labelledby': 'create-h' },
    h('h2', { id: 'create-h' }, 'New session'),
    h('form', { id: 'create-session', class: 'inline-form', onsubmit },
      h('div', { class: 'field' },
        h('label', { for: 'new-session-id' }, 'Session id ', h('span', { class: 'muted' }, '(optional)')),
        idInput,
        h('p', { id: 'new-session-id-hint', class: 'hint' }, 'Letters, digits, _ . or -, up to 64. Left empty, wagate picks one.')),
      h('div', { class: 'field' },
        h('label', { for: 'new-session-name' }, 'Name'),
        nameInput),
      h('div', { class: 'field submit' }, submit)),
    error);
}
