// A session's traffic: recent chats, the latest messages (of every chat or
// of the selected one) and a form to send a test text message.

import { api, seg } from './api.js';
import { h, announce, showError, setText, when, replaceKeepingFocus } from './dom.js';
import { contact } from './status.js';

const LIMIT = 20;

export function messagesPanel(id) {
  let chatId = ''; // the selected chat; '' = every chat
  let chatNames = new Map();
  let chatsKey = '';
  let messagesKey = '';

  const loadError = h('p', { class: 'error', hidden: true });
  const chatList = h('ul', { id: 'chats', class: 'chats' });
  const messageList = h('ol', { id: 'messages', class: 'messages', 'aria-labelledby': 'messages-list-h' });
  const listHeading = h('h3', { id: 'messages-list-h' }, 'Latest messages');
  const noMessages = h('p', { class: 'empty', hidden: true }, 'No messages yet.');
  const send = sendForm(id, () => refresh());

  async function refresh() {
    const path = chatId
      ? `api/messages/${seg(id)}/${seg(chatId)}?limit=${LIMIT}`
      : `api/messages/${seg(id)}?limit=${LIMIT}`;
    try {
      const [chats, msgs] = await Promise.all([
        api('GET', `api/messages/${seg(id)}/chats?limit=${LIMIT}`),
        api('GET', path),
      ]);
      showError(loadError, null);
      renderChats(chats.data.chats);
      renderMessages(msgs.data.messages);
    } catch (err) {
      if (err.status !== 401) showError(loadError, err);
    }
  }

  function select(next) {
    chatId = next;
    chatsKey = '';
    messagesKey = '';
    setText(listHeading, chatId ? `Messages with ${contact(chatNames.get(chatId) || chatId)}` : 'Latest messages');
    if (chatId && !send.to.value) send.to.value = chatId;
    refresh();
  }

  function renderChats(chats) {
    chatNames = new Map(chats.map((c) => [c.chatId, c.name]));
    const key = JSON.stringify([chatId, chats.map((c) => [c.chatId, c.name, c.unreadCount, c.lastMessage?.timestamp])]);
    if (key === chatsKey) return;
    chatsKey = key;
    const item = (cid, label, detail, unread) => h('li', {},
      h('button', {
        type: 'button', class: 'chat', 'data-key': cid || '*', 'aria-pressed': String(cid === chatId),
        onclick: () => select(cid),
      },
      h('span', { class: 'chat-name' }, label),
      detail && h('span', { class: 'chat-last' }, detail),
      unread > 0 && h('span', { class: 'count' }, `${unread}`, h('span', { class: 'vh' }, ' unread'))));
    replaceKeepingFocus(chatList, [
      item('', 'All chats'),
      ...chats.map((c) => item(c.chatId, contact(c.name) || contact(c.chatId), preview(c.lastMessage), c.unreadCount)),
    ]);
  }

  function renderMessages(messages) {
    const key = JSON.stringify(messages.map((m) => [m.id, m.status, m.body, m.edited, m.revoked]));
    noMessages.hidden = messages.length > 0;
    if (key === messagesKey) {
      // Only the relative times move on.
      for (const t of messageList.querySelectorAll('time')) t.replaceWith(when(t.getAttribute('datetime')));
      return;
    }
    messagesKey = key;
    messageList.replaceChildren(...messages.map(message));
  }

  const el = h('section', { class: 'card traffic', 'aria-labelledby': 'messages-h' },
    h('h2', { id: 'messages-h' }, 'Messages'),
    loadError,
    h('div', { class: 'split' },
      h('nav', { class: 'chat-nav', 'aria-labelledby': 'chats-h' },
        h('h3', { id: 'chats-h' }, 'Recent chats'), chatList),
      h('div', { class: 'message-pane' }, listHeading, messageList, noMessages)),
    send.el);
  return { el, refresh };
}

function preview(m) {
  if (!m) return '';
  const text = m.body || `[${m.type}]`;
  return (m.fromMe ? 'You: ' : '') + (text.length > 60 ? `${text.slice(0, 59)}…` : text);
}

function message(m) {
  const from = contact(m.from || m.chatId);
  const who = m.fromMe ? `You → ${contact(m.chatId)}` : (m.senderName ? `${m.senderName} (${from})` : from);
  const body = m.revoked ? 'This message was deleted.' : (m.body || describe(m));
  return h('li', { class: `msg ${m.fromMe ? 'out' : 'in'}`, 'data-id': m.whatsappMessageId },
    h('p', { class: 'msg-meta' },
      h('span', { class: 'vh' }, m.fromMe ? 'Sent. ' : 'Received. '),
      h('span', { class: 'msg-who' }, who), ' · ', when(m.timestamp),
      m.fromMe && h('span', { class: `msg-status s-${m.status}` }, ` · ${m.status}`),
      m.edited && ' · edited'),
    h('p', { class: 'msg-body' }, body),
    m.error && h('p', { class: 'error' }, m.error));
}

function describe(m) {
  if (m.location) return `[location] ${m.location.name || `${m.location.degreesLatitude}, ${m.location.degreesLongitude}`}`;
  if (m.media) return `[${m.type}] ${m.media.filename || m.media.mimetype}`;
  if (m.reaction) return `[reaction] ${m.reaction.text}`;
  return `[${m.type}]`;
}

function sendForm(id, sent) {
  const to = h('input', {
    id: 'send-to', name: 'to', autocomplete: 'off', required: true, 'aria-describedby': 'send-to-hint',
  });
  const text = h('textarea', { id: 'send-message', name: 'message', rows: '2', required: true });
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Send');
  const error = h('p', { id: 'send-error', class: 'error', role: 'alert', hidden: true });
  const result = h('p', { id: 'send-result', class: 'result' });
  async function onsubmit(e) {
    e.preventDefault();
    submit.disabled = true;
    showError(error, null);
    setText(result, '');
    try {
      const env = await api('POST', `api/messages/${seg(id)}/send`, { to: to.value.trim(), message: text.value });
      const msg = env.message || 'Message sent.';
      setText(result, msg);
      announce(msg);
      text.value = '';
      sent();
    } catch (err) {
      showError(error, err);
    } finally {
      submit.disabled = false;
    }
  }
  const el = h('form', { id: 'send-form', class: 'send', onsubmit, 'aria-labelledby': 'send-h' },
    h('h3', { id: 'send-h' }, 'Send a test message'),
    h('div', { class: 'send-grid' },
      h('div', { class: 'field' },
        h('label', { for: 'send-to' }, 'To'),
        to,
        h('p', { id: 'send-to-hint', class: 'hint' }, 'Phone number with country code, or a chat id.')),
      h('div', { class: 'field' },
        h('label', { for: 'send-message' }, 'Message'),
        text)),
    error,
    h('div', { class: 'row' }, submit, result));
  return { el, to };
}
