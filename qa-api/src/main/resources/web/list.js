// The list of calls: the filter form, one table row per call (newest first) and paging by cursor.

import { getJson } from './api.js';
import { el } from './dom.js';
import { duration, fromLocalInput, localTime, toLocalInput } from './format.js';

/** The /api/calls parameters the list view keeps in its address (after '#/?'). */
const PARAMS = ['q', 'from', 'to', 'since', 'until', 'min_duration_ms', 'end_reason', 'profile', 'min_p95_latency_ms',
  'min_dead_air_ms', 'has_talk_over', 'sort', 'limit'];

/** The list's parameters from the filter form; empty fields are left out. */
export function paramsFromForm(form) {
  const f = form.elements;
  const params = new URLSearchParams();
  const put = (name, value) => { if (value) params.set(name, value); };
  put('q', f.q.value.trim());
  put('from', f.from.value.trim());
  put('to', f.to.value.trim());
  put('since', fromLocalInput(f.since.value));
  put('until', fromLocalInput(f.until.value));
  const minS = Number(f.min_duration_s.value);
  put('min_duration_ms', minS > 0 ? String(Math.round(minS * 1000)) : '');
  put('end_reason', f.end_reason.value.trim());
  put('profile', f.profile.value.trim());
  put('sort', f.sort.value);
  return params;
}

/** The list's parameters from the address, keeping only those the API knows. */
export function paramsFromHash(query) {
  const given = new URLSearchParams(query);
  const params = new URLSearchParams();
  for (const name of PARAMS) if (given.get(name)) params.set(name, given.get(name));
  return params;
}

function fillForm(form, params) {
  const f = form.elements;
  f.q.value = params.get('q') ?? '';
  f.from.value = params.get('from') ?? '';
  f.to.value = params.get('to') ?? '';
  f.since.value = toLocalInput(params.get('since'));
  f.until.value = toLocalInput(params.get('until'));
  const minMs = Number(params.get('min_duration_ms'));
  f.min_duration_s.value = minMs > 0 ? String(minMs / 1000) : '';
  f.end_reason.value = params.get('end_reason') ?? '';
  f.profile.value = params.get('profile') ?? '';
  f.sort.value = params.get('sort') ?? '';
}

function row(call) {
  const tr = el('tr');
  tr.dataset.callId = call.id;
  const link = el('a', localTime(call.started_at));
  link.href = `#/calls/${encodeURIComponent(call.id)}`;
  link.title = call.started_at;
  const started = el('td');
  started.append(link);
  const counts = el('td', `${call.turn_count} · ${call.hold_count} · ${call.session_count}`, 'num');
  counts.title = `${call.turn_count} turns, ${call.hold_count} holds, ${call.session_count} Realtime sessions`;
  const excerpt = el('td', call.excerpt, 'excerpt');
  if (call.legal_hold) excerpt.prepend(el('span', 'Legal hold', 'badge legal-hold'), ' ');
  const a = call.analytics;
  const figure = (value, text) => el('td', a ? text(value) : '–', 'num');
  tr.append(started, el('td', call.from), el('td', call.to), el('td', duration(call.duration_ms), 'num'),
    el('td', call.end_reason), counts, figure(a?.latency_p95_ms, (v) => `${v} ms`),
    figure(a?.longest_dead_air_ms, (v) => (v > 0 ? duration(v) : '0')), figure(a?.talk_over_count, String), excerpt);
  if (!call.recording_complete) {
    tr.classList.add('incomplete');
    tr.title = 'The recording is incomplete (audio was lost or the gateway crashed)';
  }
  return tr;
}

/** Shows the calls matching `params`, a page at a time. */
export async function showList(view, params, { signal, fail }) {
  fillForm(view.querySelector('#filters'), params);
  const rows = view.querySelector('#calls tbody');
  const more = view.querySelector('#more');
  const empty = view.querySelector('#list-empty');
  rows.replaceChildren();
  more.hidden = true;
  empty.hidden = true;
  let cursor = null;
  const load = async () => {
    const query = new URLSearchParams(params);
    if (cursor) query.set('cursor', cursor);
    const page = await getJson(`/api/calls?${query}`, signal);
    rows.append(...page.calls.map(row));
    cursor = page.next_cursor;
    more.hidden = !cursor;
    empty.hidden = rows.rows.length > 0;
  };
  more.addEventListener('click', () => load().catch(fail), { signal });
  await load();
}
