// Replays (./gateway replay): a replay's page names its original and shows the two calls' conversation analytics
// side by side; an original's page lists its replays beside it the same way. Every figure is call.json's own.

import { callPath, getJson } from './api.js';
import { el } from './dom.js';
import { duration } from './format.js';

/** Columns at most: the original and its newest replays. */
const MAX_REPLAYS = 4;

function ms(value) {
  return value === undefined || value === null ? '—' : `${value} ms`;
}

/** The rows compared: a label and how each call's value is shown. */
const ROWS = [
  ['Agent settings', (c) => c.replay_agent ?? (c.profile ? `profile ${c.profile}` : '')],
  ['Duration', (c) => duration(c.duration_ms ?? 0)],
  ['End reason', (c) => c.end_reason ?? ''],
  ['Replies', (c) => c.analytics?.replies ?? '—'],
  ['Reply time p50', (c) => (c.analytics?.replies > 0 ? ms(c.analytics.latency_p50_ms) : '—')],
  ['Reply time p95', (c) => (c.analytics?.replies > 0 ? ms(c.analytics.latency_p95_ms) : '—')],
  ['Reply time max', (c) => (c.analytics?.replies > 0 ? ms(c.analytics.latency_max_ms) : '—')],
  ['Each reply waited', (c) => {
    const waits = (c.analytics?.reply_gaps ?? []).map((g) => g.end_ms - g.start_ms);
    return waits.length > 0 ? `${waits.join(', ')} ms` : '—';
  }],
  ['Talk-over', (c) => (c.analytics ? `${c.analytics.talk_over_count} (${ms(c.analytics.talk_over_ms)})` : '—')],
  ['Dead air', (c) => (c.analytics ? `${c.analytics.dead_air_count} (longest ${ms(c.analytics.longest_dead_air_ms)})`
    : '—')],
  ['Agent share of talk', (c) => (c.analytics ? `${Math.round((c.analytics.agent_talk_share ?? 0) * 100)} %` : '—')],
];

function link(id, text) {
  const a = el('a', text);
  a.href = `#/calls/${encodeURIComponent(id)}`;
  return a;
}

/** A table with one column per call (`columns`: { call, title, id, self }) and one row per compared figure. */
function comparison(columns) {
  const table = el('table', null, 'replay-compare');
  const head = el('tr');
  head.append(el('th', ''));
  for (const column of columns) {
    const th = el('th');
    th.dataset.call = column.call.id;
    th.append(column.self ? el('span', column.title) : link(column.call.id, column.title));
    head.append(th);
  }
  const body = el('tbody');
  for (const [label, value] of ROWS) {
    const tr = el('tr');
    tr.dataset.fact = label;
    tr.append(el('td', label));
    for (const column of columns) {
      const td = el('td', value(column.call), 'num');
      td.dataset.call = column.call.id;
      tr.append(td);
    }
    body.append(tr);
  }
  table.append(el('thead'), body);
  table.querySelector('thead').append(head);
  return table;
}

/**
 * Fills `panel` for `call`: when it is a replay, a link to its original and the two side by side; when it has been
 * replayed, links to its replays and them beside it. Hidden for a call that is neither, and on a share link's page. A
 * failure to load the other calls is said in the panel and does not stop the page.
 */
export async function showReplays(panel, call, signal) {
  panel.hidden = true;
  panel.replaceChildren();
  // A share link opens its one call only: no other call is linked or fetched.
  if (document.body.dataset.role === 'share') return;
  try {
    if (call.replay_of) {
      const heading = el('p', 'A replay of ');
      heading.id = 'replay-of';
      heading.append(link(call.replay_of, call.replay_of), ` against ${call.replay_agent ?? 'other agent settings'}.`);
      panel.append(heading);
      panel.hidden = false;
      const original = await getJson(callPath(call.replay_of), signal);
      panel.append(comparison([{ call: original, title: 'Original' }, { call, title: 'This replay', self: true }]));
      return;
    }
    const page = await getJson(`/api/calls?replay_of=${encodeURIComponent(call.id)}&limit=${MAX_REPLAYS}`, signal);
    if (page.calls.length === 0) return;
    const replays = await Promise.all(page.calls.map((r) => getJson(callPath(r.id), signal)));
    const list = el('ul');
    list.id = 'replays';
    for (const replay of replays) {
      const item = el('li');
      item.append(link(replay.id, replay.id), ` against ${replay.replay_agent ?? 'other agent settings'}`);
      list.append(item);
    }
    panel.append(el('p', `Replayed ${replays.length === 1 ? 'once' : `${replays.length} times`}` +
      (page.next_cursor ? ' (the newest shown)' : '') + ':'), list,
    comparison([{ call, title: 'This call', self: true },
      ...replays.map((replay, i) => ({ call: replay, title: `Replay ${i + 1}` }))]));
    panel.hidden = false;
  } catch (error) {
    if (signal.aborted) return;
    panel.append(el('p', `The other calls could not be loaded: ${error.message}`, 'error'));
    panel.hidden = false;
  }
}
