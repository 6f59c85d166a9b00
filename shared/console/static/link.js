// Linking a phone: the QR code while the session waits for a scan (it
// rotates, so it is fetched again on every poll), pairing by phone code as
// the alternative, and "Linked ✓" once the session is connected.

import { api, seg } from './api.js';
import { h, announce, showError, setText } from './dom.js';
import { phone } from './status.js';

const PAIRING_RETRIES = 10; // 202 answers: WhatsApp has not issued the code yet
const PAIRING_RETRY_MS = 2000;

export function linkPanel(id) {
  const qr = h('img', {
    id: 'qr', class: 'qr', width: '264', height: '264',
    alt: `QR code to link session ${id}. Scan it with WhatsApp on the phone: Linked devices, Link a device.`,
  });
  const qrBox = h('div', { id: 'qr-box', class: 'qr-box', hidden: true },
    h('ol', { class: 'steps' },
      h('li', {}, 'Open WhatsApp on the phone.'),
      h('li', {}, 'Go to Settings › Linked devices › Link a device.'),
      h('li', {}, 'Point the phone at this code. It changes regularly; this page keeps it current.')),
    h('div', { class: 'qr-frame' }, qr));
  const linkedPhone = h('p');
  const linked = h('div', { id: 'linked', class: 'linked', hidden: true },
    h('p', { class: 'linked-mark' }, 'Linked ✓'), linkedPhone);
  const waiting = h('p', { id: 'link-waiting', class: 'muted', hidden: true });
  const pairing = pairingForm(id);

  const el = h('section', { class: 'card link', 'aria-labelledby': 'link-h' },
    h('h2', { id: 'link-h' }, 'Link a phone'), waiting, qrBox, linked, pairing.el);

  return {
    el,
    async update(st) {
      const connected = st.status === 'connected';
      linked.hidden = !connected;
      pairing.el.hidden = connected || st.status === 'disconnected';
      if (connected) {
        qrBox.hidden = true;
        waiting.hidden = true;
        setText(linkedPhone, `WhatsApp number ${phone(st.phoneNumber)} is linked to this session.`);
        pairing.reset();
        return;
      }
      if (st.status === 'qr_code') {
        await refreshQR();
        return;
      }
      qrBox.hidden = true;
      waiting.hidden = false;
      setText(waiting, st.status === 'connecting'
        ? 'Connecting to WhatsApp…'
        : 'Not connected. Press Connect to show a QR code.');
    },
  };

  async function refreshQR() {
    try {
      const { data } = await api('GET', `api/sessions/${seg(id)}/qr`);
      if (data.qrCode && qr.getAttribute('src') !== data.qrCode) qr.src = data.qrCode;
      qrBox.hidden = !data.qrCode;
      waiting.hidden = Boolean(data.qrCode);
    } catch (err) {
      // 404: between two codes, or the code expired; the next poll tells.
      qrBox.hidden = true;
      waiting.hidden = false;
      setText(waiting, err.status === 404 ? 'Waiting for a QR code…' : err.message);
    }
  }
}

function pairingForm(id) {
  const input = h('input', {
    id: 'pairing-phone', name: 'phoneNumber', type: 'tel', autocomplete: 'off',
    required: true, 'aria-describedby': 'pairing-hint',
  });
  const submit = h('button', { type: 'submit' }, 'Get pairing code');
  const error = h('p', { id: 'pairing-error', class: 'error', role: 'alert', hidden: true });
  const code = h('output', { id: 'pairing-code', class: 'pairing-code', for: 'pairing-phone' });
  const result = h('div', { class: 'pairing-result', hidden: true },
    h('p', {}, 'On the phone: WhatsApp › Linked devices › Link a device › Link with phone number instead, then type:'),
    code);
  let attempt = 0; // bumped by reset and each request, so stale retries stop

  async function request(n, phoneNumber, retries) {
    const { data } = await api('POST', `api/sessions/${seg(id)}/pairing-code`, { phoneNumber });
    if (n !== attempt) return;
    if (data.pairingCode) {
      setText(code, data.pairingCode);
      result.hidden = false;
      announce(`Pairing code ${data.pairingCode.split('').join(' ')}.`);
    } else if (data.status !== 'connected' && retries > 0) {
      setText(code, '…');
      result.hidden = false;
      await new Promise((r) => setTimeout(r, PAIRING_RETRY_MS));
      if (n === attempt) await request(n, phoneNumber, retries - 1);
    }
  }

  async function onsubmit(e) {
    e.preventDefault();
    const n = ++attempt;
    submit.disabled = true;
    showError(error, null);
    result.hidden = true;
    try {
      await request(n, input.value.trim(), PAIRING_RETRIES);
    } catch (err) {
      showError(error, err);
    } finally {
      submit.disabled = false;
    }
  }

  const el = h('details', { class: 'pairing', hidden: true },
    h('summary', {}, 'Link with a phone number instead'),
    h('form', { id: 'pairing-form', class: 'inline-form', onsubmit },
      h('div', { class: 'field' },
        h('label', { for: 'pairing-phone' }, 'Phone number'),
        input,
        h('p', { id: 'pairing-hint', class: 'hint' }, 'With country code, e.g. 34600000000.')),
      h('div', { class: 'field submit' }, submit)),
    error, result);
  return {
    el,
    reset() {
      attempt++;
      result.hidden = true;
      showError(error, null);
    },
  };
}
