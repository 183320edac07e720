// The call's media quality as call.json's quality block has it: the E-model estimate of the caller's leg, what the
// caller's stream did on its way (lost, late, repeated, concealed, jitter), RTCP's round trip and what the caller
// reported of ours. Calls recorded before the gateway measured it have no block, and the section stays hidden.

import { el } from './dom.js';

const NONE = '—';

function ms(value) {
  return value === null || value === undefined ? NONE : `${value} ms`;
}

/** Fills `list` (a <dl>) from `call.quality` and shows `section`; hides it for a call without one. */
export function renderQuality(section, list, call) {
  const q = call.quality;
  section.hidden = !q;
  if (!q) {
    list.replaceChildren();
    return;
  }
  const share = (n) => (q.packets_expected > 0 ? ` (${((100 * n) / q.packets_expected).toFixed(1)} %)` : '');
  const rows = [
    ['MOS (estimate)', q.mos === null ? NONE : `${q.mos.toFixed(2)} (R ${q.r_factor.toFixed(1)})`],
    ['Packets in / out', `${q.packets_received} / ${q.packets_sent}`],
    ['Lost', `${q.packets_lost}${share(q.packets_lost)}`],
    ['Late', `${q.packets_late}${share(q.packets_late)}`],
    ['Duplicated', String(q.packets_duplicated)],
    ['Concealed', ms(q.concealed_ms)],
    ['Jitter', `${ms(q.jitter_ms)} (max ${ms(q.jitter_max_ms)})`],
    ['Round trip', q.rtt_ms === null ? NONE : `${ms(q.rtt_ms)} (max ${ms(q.rtt_max_ms)})`],
    ['Jitter buffer', `${ms(q.jitter_buffer_ms)} on average`],
    ['Caller reported', q.remote ? `${q.remote.fraction_lost_percent} % lost, jitter ${ms(q.remote.jitter_ms)}`
      : NONE],
  ];
  if (q.stream_restarts > 0) rows.push(['Stream restarts', String(q.stream_restarts)]);
  list.replaceChildren(...rows.flatMap(([name, value]) => [el('dt', name), el('dd', value)]));
}
