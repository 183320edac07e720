// The QA API as the page uses it: every request carries the token, when there is one, as an Authorization header.
// The token lives in sessionStorage (this tab only, gone when it closes) and never in a URL sent to the gateway: a
// share link carries its token in the address's fragment (#/share/<token>), which browsers do not send.

const TOKEN_KEY = 'gateway.api-token';

/** A refused request: the HTTP status, the API's error code and its message. */
export class ApiError extends Error {
  constructor(status, code, message, retryAfterS) {
    super(message);
    this.status = status;
    this.code = code;
    this.retryAfterS = retryAfterS;
  }
}

export function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(value) {
  sessionStorage.setItem(TOKEN_KEY, value);
}

export function forgetToken() {
  sessionStorage.removeItem(TOKEN_KEY);
}

/** The path of a call, or of one of its files. */
export function callPath(id, file) {
  const base = `/api/calls/${encodeURIComponent(id)}`;
  return file ? `${base}/${file}` : base;
}

/** GET `path`; resolves to the Response when it is 2xx, else rejects with an ApiError. */
export async function get(path, signal) {
  const headers = {};
  const t = token();
  if (t) headers.Authorization = `Bearer ${t}`;
  const response = await fetch(path, { headers, signal, credentials: 'omit' });
  if (response.ok) return response;
  const body = await response.json().catch(() => null);
  const retry = Number(response.headers.get('Retry-After')) || undefined;
  throw new ApiError(response.status, body?.error?.code ?? 'http_' + response.status,
    body?.error?.message ?? response.statusText, retry);
}

export async function getJson(path, signal) {
  return (await get(path, signal)).json();
}

export async function getBlob(path, signal) {
  return (await get(path, signal)).blob();
}

/** Who this tab's token is: {name, role, admin, share_call?} (GET /api/me). */
export async function me(signal) {
  return getJson('/api/me', signal);
}

/** `method` (PUT, DELETE…) on `path` with an optional JSON body; resolves to the parsed answer (or null). */
export async function send(method, path, body, signal) {
  const headers = {};
  const t = token();
  if (t) headers.Authorization = `Bearer ${t}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body),
    signal, credentials: 'omit' });
  const answer = await response.json().catch(() => null);
  if (response.ok) return answer;
  throw new ApiError(response.status, answer?.error?.code ?? 'http_' + response.status,
    answer?.error?.message ?? response.statusText);
}

/** POST `body` as JSON to `path`; resolves to the parsed answer when it is 2xx, else rejects with an ApiError. */
export async function postJson(path, body, signal) {
  const headers = { 'Content-Type': 'application/json' };
  const t = token();
  if (t) headers.Authorization = `Bearer ${t}`;
  const response = await fetch(path, { method: 'POST', headers, body: JSON.stringify(body ?? {}), signal,
    credentials: 'omit' });
  const answer = await response.json().catch(() => null);
  if (response.ok) return answer;
  throw new ApiError(response.status, answer?.error?.code ?? 'http_' + response.status,
    answer?.error?.message ?? response.statusText);
}
