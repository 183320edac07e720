// What happened during a call besides speech, in recording time: holds, recording pauses, switches of the Realtime
// session, stretches where the caller's audio was concealed (quality.loss), and DTMF digits and tool calls for a
// call.json that lists them (dtmf [{digit, at_ms, duration_ms, direction}], tool_calls [{start_ms, end_ms, name}]).

import { el } from './dom.js';
import { clock, duration } from './format.js';

/** The call's events, by start: { kind, startMs, endMs (for spans), label }. */
export function timelineEvents(call) {
  const events = [];
  for (const hold of call.holds ?? []) {
    events.push({ kind: 'hold', startMs: hold.start_ms, endMs: hold.end_ms,
      label: `On hold for ${duration(hold.end_ms - hold.start_ms)}` });
  }
  for (const pause of call.recording_paused ?? []) {
    events.push({ kind: 'tool', startMs: pause.start_ms, endMs: pause.end_ms,
      label: `Recording paused (by ${pause.by}) for ${duration(pause.end_ms - pause.start_ms)}` });
  }
  const sessions = [...(call.realtime_sessions ?? [])].sort((a, b) => a.start_ms - b.start_ms);
  sessions.forEach((session, i) => {
    if (i === 0) return;
    const before = sessions[i - 1];
    events.push({ kind: 'session', startMs: session.start_ms,
      label: `Realtime session ${session.index + 1} takes over (previous one: ${before.end_reason})` });
  });
  for (const loss of call.quality?.loss ?? []) {
    events.push({ kind: 'loss', startMs: loss.start_ms, endMs: loss.end_ms,
      label: `Caller audio concealed: ${loss.packets} packet${loss.packets === 1 ? '' : 's'} lost or late` });
  }
  for (const dtmf of call.dtmf ?? []) {
    const sent = dtmf.direction === 'outbound' ? ' sent to the caller' : '';
    events.push({ kind: 'dtmf', startMs: dtmf.at_ms, label: `DTMF ${dtmf.digit}${sent}` });
  }
  for (const tool of call.tool_calls ?? []) {
    events.push({ kind: 'tool', startMs: tool.start_ms, endMs: tool.end_ms, label: `Tool call ${tool.name}` });
  }
  return events.sort((a, b) => a.startMs - b.startMs);
}

/** The events as a list whose items seek the player when clicked. */
export function renderEvents(list, events, seek) {
  list.replaceChildren(...events.map((event) => {
    const item = el('li', undefined, `event ${event.kind}`);
    const time = el('button', event.endMs === undefined ? clock(event.startMs)
      : `${clock(event.startMs)}–${clock(event.endMs)}`, 'time');
    time.type = 'button';
    time.addEventListener('click', () => seek(event.startMs));
    item.append(time, el('span', event.label, 'label'));
    return item;
  }));
  if (events.length === 0) list.append(el('li', 'No holds or session changes.', 'none'));
}
