// One session: its live status and lifecycle buttons, linking (QR code or
// pairing code), its messages and its webhook. Everything refreshes itself
// every 2 seconds without reloading the page.

import { api, seg } from './api.js';
import { h, announce, showError, setText, when, every } from './dom.js';
import { updateBadge, phone, statusLabel } from './status.js';
import { linkPanel } from './link.js';
import { messagesPanel } from './messages.js';
import { webhooksPanel } from './webhooks.js';

const POLL_MS = 2000;

export function sessionView(id, navigate) {
  const path = `api/sessions/${seg(id)}`;
  const title = h('h1', { id: 'session-h', tabindex: '-1' }, id);
  const subtitle = h('p', { class: 'lead', hidden: true });
  const badge = h('span', { id: 'session-status', class: 'badge' }, '…');
  const phoneValue = h('dd', { id: 'session-phone' }, '—');
  const profileValue = h('dd', { id: 'session-profile' }, '—');
  const activityValue = h('dd', { id: 'session-activity' }, '—');
  const reasonValue = h('dd', { id: 'session-reason', hidden: true });
  const reasonRow = [h('dt', { hidden: true }, 'Last reason'), reasonValue];
  const loadError = h('p', { class: 'error', hidden: true });
  const actionError = h('p', { id: 'session-error', class: 'error', role: 'alert', hidden: true });

  const link = linkPanel(id);
  const messages = messagesPanel(id);
  const webhooks = webhooksPanel(id);

  let status = null; // at the last poll
  let filled = false; // the webhook form is filled once, then left to the user

  // details loads GET /api/sessions/{id}: the name, the profile and the
  // webhook settings.
  async function details() {
    const { data: { session: s } } = await api('GET', path);
    setText(title, s.sessionName || s.sessionId);
    setText(subtitle, s.sessionName && s.sessionName !== s.sessionId ? `Session id ${s.sessionId}` : '');
    subtitle.hidden = !subtitle.textContent;
    setText(profileValue, s.profile?.name || '—');
    if (!filled) {
      webhooks.fill(s);
      filled = true;
    }
  }

  async function refresh() {
    let st;
    try {
      ({ data: st } = await api('GET', `${path}/status`));
      showError(loadError, null);
    } catch (err) {
      if (err.code === 'SESSION_NOT_FOUND') gone();
      else if (err.status !== 401) showError(loadError, err);
      return;
    }
    updateBadge(badge, st.status);
    setText(phoneValue, phone(st.phoneNumber));
    activityValue.replaceChildren(when(st.lastActivity));
    setText(reasonValue, st.reason ? `${st.reason}${st.reasonDetail ? `: ${st.reasonDetail}` : ''}` : '');
    for (const n of reasonRow) n.hidden = !st.reason;
    const changed = st.status !== status;
    if (changed && status !== null) {
      announce(st.status === 'connected'
        ? `Linked: session ${id} is connected as ${phone(st.phoneNumber)}.`
        : `Session ${id} is ${statusLabel(st.status)}.`);
    }
    status = st.status;
    // The profile name arrives with the connection.
    if (!filled || (changed && st.status === 'connected')) await details().catch((err) => showError(loadError, err));
    await Promise.all([link.update(st), messages.refresh(), webhooks.refresh()]);
  }

  // gone replaces the view when the session no longer exists.
  function gone() {
    poll.stop();
    el.replaceChildren(
      h('h1', { id: 'session-h', tabindex: '-1' }, id),
      h('p', { class: 'notice' }, `There is no session ${id}. It may have been deleted.`),
      back());
    el.querySelector('h1').focus();
  }

  function back() {
    return h('p', { class: 'back' }, h('a', {
      href: location.pathname,
      onclick: (e) => { e.preventDefault(); navigate(''); },
    }, '← All sessions'));
  }

  function action(label, method, suffix, confirmText, after) {
    const button = h('button', { type: 'button', class: label === 'Delete' ? 'danger' : '' }, label);
    button.addEventListener('click', async () => {
      if (confirmText && !window.confirm(confirmText)) return;
      button.disabled = true;
      showError(actionError, null);
      try {
        const env = await api(method, path + suffix);
        announce(env.message || `${label}: done.`);
        if (after) after();
        else poll.now();
      } catch (err) {
        showError(actionError, err);
      } finally {
        button.disabled = false;
      }
    });
    return button;
  }

  const el = h('div', { class: 'session' },
    back(),
    h('section', { class: 'card summary', 'aria-labelledby': 'session-h' },
      h('div', { class: 'row spread' },
        h('div', {}, h('div', { class: 'row' }, title, badge), subtitle),
        h('div', { class: 'actions' },
          action('Connect', 'POST', '/connect'),
          action('Disconnect', 'POST', '/disconnect'),
          action('Restart', 'POST', '/restart'),
          action('Delete', 'DELETE', '',
            `Delete session ${id}? It is disconnected and the phone is unlinked; this cannot be undone.`,
            () => navigate('')))),
      h('dl', { class: 'facts' },
        h('dt', {}, 'Phone'), phoneValue,
        h('dt', {}, 'Profile name'), profileValue,
        h('dt', {}, 'Last activity'), activityValue,
        ...reasonRow),
      loadError, actionError),
    h('div', { class: 'columns' },
      h('div', { class: 'column' }, link.el, messages.el),
      h('div', { class: 'column' }, webhooks.el)));

  const poll = every(POLL_MS, refresh);
  return { el, stop: poll.stop };
}
