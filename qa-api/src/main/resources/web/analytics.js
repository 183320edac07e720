// A call's conversation analytics (call.json's analytics): the figures beside the waveform, and a lane under it
// marking slow replies, talk-over and dead air at their times. Calls recorded before the gateway measured them
// have no analytics: the section and the lane stay empty.

import { el } from './dom.js';
import { clock, duration } from './format.js';

/** A reply the caller waited this long for or longer is marked slow. */
export const SLOW_REPLY_MS = 1500;

const WHO = { caller: 'the caller', agent: 'the agent', other: 'the gateway or the network' };

function ms(value) {
  return `${value} ms`;
}

/** The marks of `a`: { kind, startMs, endMs, label }, by start. */
export function analyticsMarks(a) {
  const marks = [];
  for (const gap of a?.reply_gaps ?? []) {
    if (gap.end_ms - gap.start_ms >= SLOW_REPLY_MS) {
      marks.push({ kind: 'slow', startMs: gap.start_ms, endMs: gap.end_ms,
        label: `Slow reply: the caller waited ${duration(gap.end_ms - gap.start_ms)}` });
    }
  }
  for (const over of a?.talk_overs ?? []) {
    marks.push({ kind: 'talk-over', startMs: over.start_ms, endMs: over.end_ms,
      label: `Talk-over for ${duration(over.end_ms - over.start_ms)}` });
  }
  for (const dead of a?.dead_airs ?? []) {
    marks.push({ kind: 'dead-air', startMs: dead.start_ms, endMs: dead.end_ms,
      label: `Dead air for ${duration(dead.end_ms - dead.start_ms)}` });
  }
  return marks.sort((x, y) => x.startMs - y.startMs);
}

function facts(a) {
  const rows = [
    ['Replies', a.replies],
    ['Reply time p50 / p95 / max', a.replies > 0
      ? `${ms(a.latency_p50_ms)} / ${ms(a.latency_p95_ms)} / ${ms(a.latency_max_ms)}` : '—'],
    ['Talk-over', `${a.talk_over_count} (${ms(a.talk_over_ms)})`],
    ['Dead air', a.dead_air_count > 0 ? `${a.dead_air_count} (longest ${duration(a.longest_dead_air_ms)})` : '0'],
    ['Agent share of talk', `${Math.round((a.agent_talk_share ?? 0) * 100)} %`],
    ['Longest monologue', duration(a.longest_monologue_ms)],
  ];
  if (a.hung_up_by !== undefined) {
    rows.push(['Turns (caller / agent)', `${a.caller_turns} / ${a.agent_turns}`], ['Barge-ins', a.barge_ins],
      ['DTMF keys', a.dtmf_keys], ['Tool calls', a.tool_calls], ['On hold', duration(a.hold_ms)],
      ['Hung up by', WHO[a.hung_up_by] ?? a.hung_up_by]);
  }
  return rows;
}

/**
 * Fills `list` (a <dl>) from `call.analytics` and shows `section`, and draws the marks in `lane` over
 * `durationMs` of timeline; a click on a mark seeks to its start.
 */
export function renderAnalytics(section, list, lane, call, durationMs, seek) {
  const a = call.analytics;
  section.hidden = !a;
  list.replaceChildren(...(a ? facts(a) : []).flatMap(([name, value]) => {
    const dd = el('dd', value);
    dd.dataset.fact = name;
    return [el('dt', name), dd];
  }));
  lane.replaceChildren(...analyticsMarks(a).map((mark) => {
    const button = el('button', '', `mark ${mark.kind}`);
    button.type = 'button';
    button.title = `${clock(mark.startMs)}–${clock(mark.endMs)} ${mark.label}`;
    button.dataset.startMs = mark.startMs;
    button.dataset.endMs = mark.endMs;
    button.style.left = `${(100 * mark.startMs) / durationMs}%`;
    button.style.width = `${(100 * (mark.endMs - mark.startMs)) / durationMs}%`;
    button.addEventListener('click', () => seek(mark.startMs));
    return button;
  }));
}
