// Small DOM helpers. Everything the API returns goes into the page as text,
// never as HTML.

// h builds an element: h('button', {type: 'button', onclick: f}, 'Save').
// Props starting with "on" add listeners; checked, value and disabled are
// set as properties; null, undefined and false props are left out.
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v == null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'checked' || k === 'value' || k === 'disabled') el[k] = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  el.append(...children.flat().filter((c) => c != null && c !== false));
  return el;
}

// setText changes an element's text only when it differs, so polling does
// not disturb screen readers or selections.
export function setText(el, text) {
  if (el.textContent !== text) el.textContent = text;
}

const FOCUSABLE = 'a[href], button, input, textarea, select';

// replaceKeepingFocus swaps a container's children and gives the focus back
// to the same control in the new element with the same data-key, so a list
// refreshed by polling does not take the focus away from the user.
export function replaceKeepingFocus(container, nodes) {
  const focused = document.activeElement;
  const holder = container.contains(focused) ? focused.closest('[data-key]') : null;
  const index = holder ? [...holder.querySelectorAll(FOCUSABLE)].indexOf(focused) : -1;
  container.replaceChildren(...nodes);
  if (!holder) return;
  const again = [...container.querySelectorAll('[data-key]')].find((n) => n.dataset.key === holder.dataset.key);
  (index < 0 ? again : again?.querySelectorAll(FOCUSABLE)[index])?.focus();
}

// announce puts a message in the page's status line (an aria-live region):
// screen readers read it, everyone sees it.
export function announce(message) {
  const live = document.getElementById('live');
  live.textContent = '';
  // A fresh text node after a tick is announced even when it repeats.
  setTimeout(() => { live.textContent = message; }, 50);
}

// showError writes an API error (its message) into an inline error line,
// or clears it when err is null.
export function showError(el, err) {
  setText(el, err ? err.message : '');
  el.hidden = !err;
}

const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
const absolute = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'medium' });

// when renders an ISO time (or unix seconds) as <time>: relative text, the
// exact time in the tooltip.
export function when(t) {
  if (t == null || t === '') return h('span', { class: 'muted' }, '—');
  const d = typeof t === 'number' ? new Date(t * 1000) : new Date(t);
  return h('time', { datetime: d.toISOString(), title: absolute.format(d) }, ago(d));
}

function ago(d) {
  const s = Math.round((d.getTime() - Date.now()) / 1000);
  const abs = Math.abs(s);
  if (abs < 45) return 'just now';
  if (abs < 3600) return relative.format(Math.round(s / 60), 'minute');
  if (abs < 86400) return relative.format(Math.round(s / 3600), 'hour');
  return absolute.format(d);
}

// every runs fn now and then every ms milliseconds after each run ends,
// skipping runs while the tab is hidden. Runs never overlap. It returns
// {stop, now}: now runs fn at once (after an action) and keeps the rhythm.
export function every(ms, fn) {
  let timer = null;
  let stopped = false;
  let running = false;
  let again = false;
  async function run() {
    clearTimeout(timer);
    if (stopped) return;
    if (running) { again = true; return; }
    running = true;
    do {
      again = false;
      if (!document.hidden) {
        try { await fn(); } catch (err) { console.debug('poll failed', err); }
      }
    } while (again && !stopped);
    running = false;
    if (!stopped) timer = setTimeout(run, ms);
  }
  run();
  return {
    stop() { stopped = true; clearTimeout(timer); },
    now: run,
  };
}
