// The dashboard: GET /api/stats drawn as three small SVG charts (reply time p50/p95 per bucket, calls per bucket,
// end reasons per bucket) and a table of the same figures. Every point, bar and segment links to the call list
// filtered to the calls behind it (the bucket's since/until, the profile, and the end reason of a segment).

import { getJson } from './api.js';
import { el } from './dom.js';
import { duration } from './format.js';

const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 720;
const HEIGHT = 200;
const PAD = { left: 64, right: 12, top: 14, bottom: 30 };
/** The /api/stats parameters the dashboard keeps in its address (after '#/dashboard?'). */
const PARAMS = ['since', 'until', 'profile', 'bucket'];
/** End reasons get these colours in order of first appearance; the rest share the last. */
const REASON_COLOURS = ['#2563eb', '#d97706', '#dc2626', '#16a34a', '#7c3aed', '#0891b2', '#db2777', '#64748b'];

/** The dashboard's parameters from the address, keeping only those the API knows. */
export function dashboardParams(query) {
  const given = new URLSearchParams(query);
  const params = new URLSearchParams();
  for (const name of PARAMS) if (given.get(name)) params.set(name, given.get(name));
  return params;
}

/** The list address of the calls behind a bucket (and one end reason of it). */
export function listAddress(bucket, profile, endReason) {
  const params = new URLSearchParams({ since: bucket.start, until: bucket.end });
  if (profile) params.set('profile', profile);
  if (endReason) params.set('end_reason', endReason);
  return `#/?${params}`;
}

function svg(tag, attributes) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes ?? {})) node.setAttribute(name, String(value));
  return node;
}

function link(href, title, child) {
  const a = svg('a', { href });
  const t = svg('title');
  t.textContent = title;
  a.append(t, child);
  return a;
}

/** A bucket's start as the axis shows it: the hour, or the day. */
function bucketLabel(start, bucket) {
  const d = new Date(start);
  return bucket === 'day'
    ? d.toLocaleDateString(undefined, { month: 'short', day: 'numeric' })
    : d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}

/**
 * An empty chart: axes with `max` at the top, a grid line at 0, half and max (labelled by `unit`, which may return
 * null to leave one out), and bucket labels under every n-th bucket.
 */
function frame(stats, max, unit) {
  const root = svg('svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, class: 'chart', role: 'img' });
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const plotW = WIDTH - PAD.left - PAD.right;
  const n = stats.buckets.length;
  const slot = plotW / n;
  const y = (v) => PAD.top + plotH - (max === 0 ? 0 : (v / max) * plotH);
  const x = (i) => PAD.left + slot * (i + 0.5);
  root.append(svg('line', { x1: PAD.left, y1: PAD.top + plotH, x2: WIDTH - PAD.right, y2: PAD.top + plotH,
    class: 'axis' }));
  for (const v of [0, max / 2, max]) {
    if (unit(v) === null) continue;
    const label = svg('text', { x: PAD.left - 4, y: y(v) + 4, class: 'tick', 'text-anchor': 'end' });
    label.textContent = unit(v);
    root.append(label, svg('line', { x1: PAD.left, y1: y(v), x2: WIDTH - PAD.right, y2: y(v), class: 'grid' }));
  }
  const every = Math.max(1, Math.ceil(n / 6));
  stats.buckets.forEach((b, i) => {
    if (i % every !== 0) return;
    const label = svg('text', { x: x(i), y: HEIGHT - 8, class: 'tick', 'text-anchor': 'middle' });
    label.textContent = bucketLabel(b.start, stats.bucket);
    root.append(label);
  });
  return { root, x, y, slot, plotH };
}

/** A count as an axis label; none between whole numbers. */
function count(v) {
  return Number.isInteger(v) ? String(v) : null;
}

/** A round maximum at or above `v` for an axis (1, 2 or 5 times a power of ten). */
function niceMax(v) {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  return [1, 2, 5, 10].map((m) => m * p).find((m) => m >= v);
}

function latencyChart(stats) {
  const replied = stats.buckets.map((b, i) => ({ b, i })).filter(({ b }) => b.latency_ms.calls > 0);
  const max = niceMax(Math.max(0, ...replied.map(({ b }) => b.latency_ms.p95)));
  const chart = frame(stats, max, (v) => `${(v / 1000).toFixed(1)} s`);
  for (const [key, cls] of [['p95', 'p95'], ['p50', 'p50']]) {
    const points = replied.map(({ b, i }) => `${chart.x(i)},${chart.y(b.latency_ms[key])}`).join(' ');
    chart.root.append(svg('polyline', { points, class: `line ${cls}` }));
    for (const { b, i } of replied) {
      const dot = svg('circle', { cx: chart.x(i), cy: chart.y(b.latency_ms[key]), r: 6, class: `point ${cls}`,
        'data-start': b.start, 'data-value': b.latency_ms[key] });
      chart.root.append(link(listAddress(b, stats.profile), `${key} of the per-call p95 reply times: `
        + `${b.latency_ms[key]} ms over ${b.latency_ms.calls} calls`, dot));
    }
  }
  return chart.root;
}

function callsChart(stats) {
  const max = niceMax(Math.max(0, ...stats.buckets.map((b) => b.calls)));
  const chart = frame(stats, max, count);
  stats.buckets.forEach((b, i) => {
    if (b.calls === 0) return;
    const top = chart.y(b.calls);
    const bar = svg('rect', { x: chart.x(i) - chart.slot * 0.35, y: top, width: chart.slot * 0.7,
      height: chart.y(0) - top, class: 'bar', 'data-start': b.start, 'data-value': b.calls });
    chart.root.append(link(listAddress(b, stats.profile), `${b.calls} calls, ${b.answered} answered`, bar));
  });
  return chart.root;
}

function reasonsChart(stats, colours) {
  const max = niceMax(Math.max(0, ...stats.buckets.map((b) => b.calls)));
  const chart = frame(stats, max, count);
  stats.buckets.forEach((b, i) => {
    let below = 0;
    for (const [reason, count] of Object.entries(b.end_reasons)) {
      const top = chart.y(below + count);
      const segment = svg('rect', { x: chart.x(i) - chart.slot * 0.35, y: top, width: chart.slot * 0.7,
        height: chart.y(below) - top, class: 'segment', fill: colours(reason), 'data-start': b.start,
        'data-reason': reason, 'data-value': count });
      chart.root.append(link(listAddress(b, stats.profile, reason), `${reason}: ${count}`, segment));
      below += count;
    }
  });
  return chart.root;
}

function percent(rate) {
  return `${(rate * 100).toFixed(1)} %`;
}

function table(stats) {
  const rows = stats.buckets.filter((b) => b.calls > 0).map((b) => {
    const tr = el('tr');
    tr.dataset.start = b.start;
    const when = el('td');
    const a = el('a', bucketLabel(b.start, stats.bucket));
    a.href = listAddress(b, stats.profile);
    when.append(a);
    tr.append(when, el('td', b.calls, 'num'), el('td', b.answered, 'num'),
      el('td', duration(b.duration_ms.mean), 'num'),
      el('td', b.latency_ms.calls > 0 ? `${b.latency_ms.p50} / ${b.latency_ms.p95} ms` : '–', 'num'),
      el('td', b.analysed > 0 ? percent(b.talk_over.rate) : '–', 'num'),
      el('td', b.analysed > 0 ? percent(b.dead_air.rate) : '–', 'num'),
      el('td', Object.entries(b.end_reasons).map(([r, c]) => `${r} ${c}`).join(', ')));
    return tr;
  });
  return rows;
}

/** Shows the dashboard for `params` (since, until, profile, bucket). */
export async function showDashboard(view, params, { signal }) {
  const form = view.querySelector('#dashboard-filters');
  form.elements.bucket.value = params.get('bucket') ?? 'hour';
  form.elements.profile.value = params.get('profile') ?? '';
  const stats = await getJson(`/api/stats?${params}`, signal);
  const order = [];
  const colours = (reason) => {
    if (!order.includes(reason)) order.push(reason);
    return REASON_COLOURS[Math.min(order.indexOf(reason), REASON_COLOURS.length - 1)];
  };
  const reasons = reasonsChart(stats, colours);
  view.querySelector('#chart-latency').replaceChildren(latencyChart(stats));
  view.querySelector('#chart-calls').replaceChildren(callsChart(stats));
  view.querySelector('#chart-reasons').replaceChildren(reasons);
  view.querySelector('#reasons-legend').replaceChildren(...order.map((reason) => {
    const item = el('li', reason);
    item.prepend(el('span', '', 'swatch'));
    item.firstChild.style.background = colours(reason);
    return item;
  }));
  const totals = stats.buckets.reduce((t, b) => ({ calls: t.calls + b.calls, answered: t.answered + b.answered,
    duration: t.duration + b.duration_ms.sum, analysed: t.analysed + b.analysed,
    talkOver: t.talkOver + b.talk_over.calls, deadAir: t.deadAir + b.dead_air.calls }),
  { calls: 0, answered: 0, duration: 0, analysed: 0, talkOver: 0, deadAir: 0 });
  const facts = [
    ['Calls', totals.calls],
    ['Answered', totals.answered],
    ['Mean duration', totals.calls > 0 ? duration(totals.duration / totals.calls) : '–'],
    ['With talk-over', totals.analysed > 0 ? percent(totals.talkOver / totals.analysed) : '–'],
    ['With dead air', totals.analysed > 0 ? percent(totals.deadAir / totals.analysed) : '–'],
    ['Span', `${new Date(stats.since).toLocaleString()} – ${new Date(stats.until).toLocaleString()}`],
  ];
  view.querySelector('#dashboard-totals').replaceChildren(...facts.flatMap(([name, value]) => {
    const dd = el('dd', value);
    dd.dataset.fact = name;
    return [el('dt', name), dd];
  }));
  view.querySelector('#stats-table tbody').replaceChildren(...table(stats));
  view.querySelector('#stats-empty').hidden = totals.calls > 0;
}

/** The dashboard's address for the form's bucket and profile (the span follows the bucket's default). */
export function dashboardAddressFromForm(form) {
  const params = new URLSearchParams();
  params.set('bucket', form.elements.bucket.value);
  const profile = form.elements.profile.value.trim();
  if (profile) params.set('profile', profile);
  return `#/dashboard?${params}`;
}
