// A session's webhook: the settings form, a test delivery and the delivery
// log with replays.

import { api, seg } from './api.js';
import { h, announce, showError, setText, when, replaceKeepingFocus } from './dom.js';

const LIMIT = 20;

const EVENTS = [
  ['message', 'Inbound messages'],
  ['message_status', 'Sent, delivered and read statuses'],
  ['session', 'Session changes'],
  ['qr', 'New QR codes'],
];

export function webhooksPanel(id) {
  const settings = settingsForm(id);
  const test = testButton(id);
  const log = deliveryLog(id);
  const el = h('section', { class: 'card webhooks', 'aria-labelledby': 'webhook-h' },
    h('h2', { id: 'webhook-h' }, 'Webhook'),
    settings.el, test.el, log.el);
  return { el, fill: settings.fill, refresh: log.refresh };
}

function settingsForm(id) {
  const url = h('input', {
    id: 'webhook-url', name: 'webhookUrl', type: 'url', autocomplete: 'off',
    placeholder: 'https://crm.example.com/hooks/whatsapp', 'aria-describedby': 'webhook-url-hint',
  });
  const secret = h('input', {
    id: 'webhook-secret', name: 'webhookSecret', type: 'password', autocomplete: 'new-password',
    'aria-describedby': 'webhook-secret-hint',
  });
  const secretHint = h('p', { id: 'webhook-secret-hint', class: 'hint' });
  const clearSecret = h('input', { id: 'webhook-secret-clear', type: 'checkbox' });
  const clearSecretField = h('div', { class: 'check', hidden: true },
    clearSecret, h('label', { for: 'webhook-secret-clear' }, 'Remove the secret'));
  const events = EVENTS.map(([value]) => h('input', { id: `webhook-event-${value}`, type: 'checkbox', name: 'webhookEvents', value }));
  const frappe = h('input', { id: 'webhook-frappe', name: 'sendToFrappe', type: 'checkbox' });
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Save webhook');
  const error = h('p', { id: 'webhook-error', class: 'error', role: 'alert', hidden: true });
  const result = h('p', { id: 'webhook-result', class: 'result' });

  // fill shows the saved settings; the secret itself is never shown, only
  // whether one is set.
  function fill(s) {
    url.value = s.webhookUrl ?? '';
    for (const box of events) box.checked = (s.webhookEvents ?? []).includes(box.value);
    frappe.checked = Boolean(s.sendToFrappe);
    secret.value = '';
    clearSecret.checked = false;
    clearSecretField.hidden = !s.hasWebhookSecret;
    setText(secretHint, s.hasWebhookSecret
      ? 'A secret is set. Leave this empty to keep it.'
      : 'Optional. Each delivery is signed with it (HMAC-SHA256).');
  }

  async function onsubmit(e) {
    e.preventDefault();
    submit.disabled = true;
    showError(error, null);
    setText(result, '');
    const body = {
      webhookUrl: url.value.trim(),
      webhookEvents: events.filter((b) => b.checked).map((b) => b.value),
      sendToFrappe: frappe.checked,
    };
    if (secret.value) body.webhookSecret = secret.value;
    else if (clearSecret.checked) body.webhookSecret = '';
    try {
      const env = await api('PUT', `api/sessions/${seg(id)}/webhook`, body);
      fill(env.data);
      setText(result, env.message || 'Saved.');
      announce(env.message || 'Webhook settings saved.');
    } catch (err) {
      showError(error, err);
    } finally {
      submit.disabled = false;
    }
  }

  const el = h('form', { id: 'webhook-form', onsubmit },
    h('div', { class: 'field' },
      h('label', { for: 'webhook-url' }, 'URL'),
      url,
      h('p', { id: 'webhook-url-hint', class: 'hint' }, 'Where wagate POSTs this session’s events. Empty: no webhook.')),
    h('div', { class: 'field' },
      h('label', { for: 'webhook-secret' }, 'Secret'),
      secret, secretHint, clearSecretField),
    h('fieldset', { class: 'events' },
      h('legend', {}, 'Events'),
      ...events.map((box, i) => h('div', { class: 'check' },
        box, h('label', { for: box.id }, EVENTS[i][1], ' ', h('code', {}, EVENTS[i][0])))),
      h('p', { class: 'hint' }, 'None checked: every event.')),
    h('div', { class: 'check' },
      frappe, h('label', { for: 'webhook-frappe' }, 'Also send to the Frappe webhook (FRAPPE_WEBHOOK_URL)')),
    error,
    h('div', { class: 'row' }, submit, result));
  return { el, fill };
}

function testButton(id) {
  const button = h('button', { id: 'webhook-test', type: 'button' }, 'Send test webhook');
  const result = h('p', { id: 'webhook-test-result', class: 'result' });
  const error = h('p', { id: 'webhook-test-error', class: 'error', role: 'alert', hidden: true });
  button.addEventListener('click', async () => {
    button.disabled = true;
    showError(error, null);
    setText(result, 'Sending…');
    try {
      const { data } = await api('POST', `api/sessions/${seg(id)}/webhook/test`);
      const a = data.attempt ?? {};
      const answer = a.statusCode ? `HTTP ${a.statusCode}` : (a.error || 'no answer');
      const ms = a.latencyMs != null ? ` in ${Math.round(a.latencyMs)} ms` : '';
      const text = data.delivered
        ? `Delivered ✓ The endpoint answered ${answer}${ms}.`
        : `Not delivered: ${answer}${a.statusCode && a.error ? ` (${a.error})` : ''}.`;
      setText(result, text);
      result.dataset.ok = String(Boolean(data.delivered));
      announce(text);
    } catch (err) {
      setText(result, '');
      showError(error, err);
    } finally {
      button.disabled = false;
    }
  });
  return { el: h('div', { class: 'row test' }, button, result, error) };
}

function deliveryLog(id) {
  const tbody = h('tbody');
  const table = h('table', { id: 'deliveries', class: 'list', hidden: true },
    h('caption', { class: 'vh' }, 'Latest webhook deliveries, refreshed every 2 seconds'),
    h('thead', {}, h('tr', {},
      ...['Event', 'Status', 'Attempts', 'Last answer', 'Created'].map((c) => h('th', { scope: 'col' }, c)),
      h('th', { scope: 'col' }, h('span', { class: 'vh' }, 'Actions')))),
    tbody);
  const empty = h('p', { class: 'empty', hidden: true }, 'No deliveries yet.');
  const loadError = h('p', { class: 'error', hidden: true });
  const error = h('p', { id: 'deliveries-error', class: 'error', role: 'alert', hidden: true });
  const replayDead = h('button', { id: 'replay-dead', type: 'button' }, 'Replay all dead');
  let key = '';
  let unavailable = false;

  async function refresh() {
    if (unavailable) return;
    let deliveries;
    try {
      ({ data: { deliveries } } = await api('GET', `api/webhooks/deliveries?sessionId=${seg(id)}&limit=${LIMIT}`));
      showError(loadError, null);
    } catch (err) {
      if (err.code === 'NOT_FOUND') {
        // This runtime has no webhook deliverer: no log to show.
        unavailable = true;
        setText(empty, 'The delivery log is not available in this runtime.');
        empty.hidden = false;
        replayDead.hidden = true;
      } else if (err.status !== 401) {
        showError(loadError, err);
      }
      return;
    }
    empty.hidden = deliveries.length > 0;
    table.hidden = deliveries.length === 0;
    const next = JSON.stringify(deliveries.map((d) => [d.id, d.status, d.attempts, d.lastStatusCode, d.lastError]));
    if (next === key) {
      for (const t of tbody.querySelectorAll('time')) t.replaceWith(when(t.getAttribute('datetime')));
      return;
    }
    key = next;
    replaceKeepingFocus(tbody, deliveries.map(row));
  }

  function row(d) {
    const answer = [d.lastStatusCode ? `HTTP ${d.lastStatusCode}` : '', d.lastError ?? ''].filter(Boolean).join(' · ') || '—';
    const replay = h('button', { type: 'button' }, 'Replay', h('span', { class: 'vh' }, ` ${d.event} ${d.id}`));
    replay.addEventListener('click', () => run(replay, `api/webhooks/deliveries/${seg(d.id)}/replay`, undefined,
      (env) => env.message || 'Delivery queued again.'));
    return h('tr', { 'data-key': d.id },
      h('th', { scope: 'row' }, h('code', {}, d.event)),
      h('td', {}, h('span', { class: 'badge', 'data-status': d.status }, d.status)),
      h('td', { class: 'num' }, String(d.attempts)),
      h('td', { class: 'nowrap' }, answer),
      h('td', {}, when(d.createdAt)),
      h('td', {}, replay));
  }

  // run POSTs a replay and announces what message(envelope) says.
  async function run(button, path, body, message) {
    button.disabled = true;
    showError(error, null);
    try {
      const env = await api('POST', path, body);
      announce(message(env));
    } catch (err) {
      showError(error, err);
    } finally {
      button.disabled = false;
    }
    await refresh();
  }
  replayDead.addEventListener('click', () => run(replayDead, 'api/webhooks/replay', { sessionId: id },
    (env) => `${env.data?.replayed ?? 0} dead ${env.data?.replayed === 1 ? 'delivery' : 'deliveries'} queued again.`));

  const el = h('div', { class: 'deliveries' },
    h('div', { class: 'row spread' }, h('h3', { id: 'deliveries-h' }, 'Delivery log'), replayDead),
    loadError, error, h('div', { class: 'scroll' }, table), empty);
  return { el, refresh };
}
