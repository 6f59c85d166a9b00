// Session statuses as the console shows them: words first, colour second.

const labels = {
  qr_code: 'waiting for scan',
  connecting: 'connecting',
  connected: 'connected',
  disconnected: 'disconnected',
};

export const statusLabel = (status) => labels[status] ?? status ?? 'unknown';

// updateBadge makes el (a <span class="badge">) show status.
export function updateBadge(el, status) {
  const label = statusLabel(status);
  if (el.textContent !== label) el.textContent = label;
  el.dataset.status = status ?? 'unknown';
}

// phone formats a session's phone number ("34600000001" → "+34600000001").
export const phone = (n) => (n ? `+${n.replace(/^\+/, '')}` : '—');

// contact shows a WhatsApp JID the way people read it: a phone number for
// users ("34600000001@s.whatsapp.net" → "+34600000001"), the JID otherwise
// (groups, LIDs).
export function contact(jid) {
  if (!jid) return '';
  const [user, server] = jid.split('@');
  return (server === 's.whatsapp.net' || (!server && /^\d+$/.test(user))) ? `+${user}` : jid;
}
