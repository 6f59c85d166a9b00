// The REST API client: the API key, the envelope, errors.

// The key lives in sessionStorage: it is gone when the tab closes, it is
// never written to localStorage and never put in a URL.
const KEY = 'wagate.apiKey';

export const apiKey = {
  get: () => sessionStorage.getItem(KEY),
  set: (key) => sessionStorage.setItem(KEY, key),
  clear: () => sessionStorage.removeItem(KEY),
};

// The API lives next to the console: /console/ → /api/… (relative, so a
// reverse proxy may mount wagate under a path prefix).
const base = new URL('../', document.baseURI);

// ApiError is a failed call: the HTTP status, the envelope's code and the
// human message the API wrote.
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

let onUnauthorized = () => {};

// whenUnauthorized sets what happens when the API refuses the key (401).
export function whenUnauthorized(fn) {
  onUnauthorized = fn;
}

// api calls the API and returns the success envelope ({message, data}); it
// throws ApiError otherwise. path is relative to the site root
// ('api/sessions'). key defaults to the signed-in key.
export async function api(method, path, body, key = apiKey.get()) {
  const headers = { Accept: 'application/json', 'X-API-Key': key ?? '' };
  const init = { method, headers, cache: 'no-store' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(new URL(path, base), init);
  } catch {
    throw new ApiError(0, 'NETWORK', 'wagate did not answer. Is it running?');
  }
  const env = await res.json().catch(() => null);
  if (res.ok && env?.success !== false) return env ?? {};
  const err = new ApiError(res.status, env?.code ?? `HTTP_${res.status}`,
    env?.message || env?.error || `The API answered HTTP ${res.status}.`);
  if (res.status === 401 && key === apiKey.get()) onUnauthorized(err);
  throw err;
}

// seg encodes one path segment (session ids, chat JIDs, delivery ids).
export const seg = encodeURIComponent;
