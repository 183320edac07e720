// Calls in progress: the list above the recordings, each with a Listen button, and the live view that plays a call
// as it happens. The listen socket is opened with a one-use ticket (got with the token) in its subprotocol list,
// never with the token or the ticket in the URL. Audio arrives as binary frames (see ListenSocket.java): one
// channel's PCM16 at 24 kHz, with its recording position and the time the call carried it; the caller plays on the
// left, the assistant on the right. Turn events and transcripts arrive as JSON text frames.

import { callPath, getJson, postJson } from './api.js';
import { el, showView } from './dom.js';
import { duration, localTime } from './format.js';

const RATE = 24000;
const HEADER_BYTES = 24;
const CHANNELS = ['caller', 'assistant'];
/** A frame this loud (RMS) counts towards the channel's level and pitch. */
const LOUD_RMS = 30;
/** How far ahead of now the first frame is scheduled: room for the network's jitter. */
const LEAD_S = 0.25;

let socket = null;
let audio = null;

/** Fills `section` with the calls in progress; `onListen(id)` runs on a Listen click (a user gesture). */
export async function showActive(section, context, onListen) {
  const { calls } = await getJson('/api/calls/active', context.signal);
  const body = section.querySelector('tbody');
  body.replaceChildren();
  for (const call of calls) {
    const row = el('tr');
    row.dataset.id = call.id;
    row.append(el('td', localTime(call.started_at)), el('td', call.from), el('td', call.to),
      el('td', call.state), el('td', duration(call.duration_ms)));
    const cell = el('td');
    const button = el('button', 'Listen', 'listen');
    button.type = 'button';
    button.addEventListener('click', () => onListen(call.id));
    cell.append(button);
    row.append(cell);
    body.append(row);
  }
  section.hidden = calls.length === 0;
}

/** What arrived so far per channel, shown on the page and kept in data attributes. */
function freshStats() {
  return CHANNELS.map(() => ({ frames: 0, samples: 0, loud: 0, sumSquares: 0, crossings: 0, maxDelayMs: 0 }));
}

/** Opens the live view of call `id` and starts listening; stops whatever was listened to before. */
export async function listen(id, context) {
  stopListening();
  audio = new AudioContext({ sampleRate: RATE });
  const view = document.querySelector('#live-view');
  view.querySelector('#live-title').textContent = `Listening to ${id}`;
  const transcript = view.querySelector('#live-transcript');
  const events = view.querySelector('#live-events');
  const statsList = view.querySelector('#live-stats');
  transcript.replaceChildren();
  events.replaceChildren();
  statsList.replaceChildren();
  statsList.dataset.ended = 'false';
  showView('live-view');
  const { ticket, subprotocol } = await postJson(callPath(id, 'listen-ticket'), {}, context.signal);
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const ws = new WebSocket(`${scheme}//${location.host}${callPath(id, 'listen')}`, [subprotocol, `ticket.${ticket}`]);
  ws.binaryType = 'arraybuffer';
  socket = ws;
  const stats = freshStats();
  const player = audio;
  let base = null;
  let dropped = 0;
  const show = () => showStats(statsList, stats, dropped);
  const timer = setInterval(show, 250);
  ws.addEventListener('message', (message) => {
    if (typeof message.data === 'string') {
      const event = JSON.parse(message.data);
      if (event.type === 'transcript') {
        const item = el('li', null, event.role);
        item.append(el('span', event.role === 'caller' ? 'Caller: ' : 'Assistant: ', 'who'), el('span', event.text));
        transcript.append(item);
      } else if (event.type === 'stats' || event.type === 'ended') {
        dropped = event.dropped;
        if (event.type === 'ended') statsList.dataset.ended = 'true';
      } else {
        events.append(el('li', `${duration(event.at_ms)} ${event.type.replaceAll('_', ' ')}`));
      }
      return;
    }
    const view = new DataView(message.data);
    const channel = view.getUint8(0);
    const count = view.getUint32(4, true);
    const position = Number(view.getBigInt64(8, true));
    const capturedAt = Number(view.getBigInt64(16, true));
    const s = stats[channel];
    if (!s) return;
    s.maxDelayMs = Math.max(s.maxDelayMs, Date.now() - capturedAt);
    s.frames++;
    s.samples += count;
    const buffer = player.createBuffer(2, count, RATE);
    const out = buffer.getChannelData(channel);
    let sum = 0;
    let crossings = 0;
    let previous = view.getInt16(HEADER_BYTES, true);
    for (let i = 0; i < count; i++) {
      const sample = view.getInt16(HEADER_BYTES + 2 * i, true);
      out[i] = sample / 32768;
      sum += sample * sample;
      if ((sample >= 0) !== (previous >= 0)) crossings++;
      previous = sample;
    }
    if (Math.sqrt(sum / count) >= LOUD_RMS) {
      s.loud += count;
      s.sumSquares += sum;
      s.crossings += crossings;
    }
    let at = base === null ? null : base + position / RATE;
    if (at === null || at < player.currentTime) {
      base = player.currentTime + LEAD_S - position / RATE;
      at = base + position / RATE;
    }
    const source = player.createBufferSource();
    source.buffer = buffer;
    source.connect(player.destination);
    source.start(at);
  });
  ws.addEventListener('close', () => {
    clearInterval(timer);
    show();
    statsList.dataset.ended = 'true';
    if (socket === ws) socket = null;
  });
  context.signal.addEventListener('abort', stopListening);
}

/** Closes the socket and the audio, if any. */
export function stopListening() {
  socket?.close(1000, 'stopped');
  socket = null;
  audio?.close();
  audio = null;
}

function showStats(list, stats, dropped) {
  list.replaceChildren();
  stats.forEach((s, channel) => {
    const name = CHANNELS[channel];
    const hz = s.loud ? Math.round(s.crossings / 2 / (s.loud / RATE)) : 0;
    const dbfs = s.loud ? Math.round(20 * Math.log10(Math.sqrt(s.sumSquares / s.loud) / 32768)) : null;
    list.dataset[`${name}Frames`] = s.frames;
    list.dataset[`${name}LoudMs`] = Math.round(s.loud / (RATE / 1000));
    list.dataset[`${name}Hz`] = hz;
    list.dataset[`${name}MaxDelayMs`] = s.maxDelayMs;
    list.append(el('dt', name === 'caller' ? 'Caller' : 'Assistant'),
      el('dd', `${s.frames} frames · ${s.loud ? `${hz} Hz, ${dbfs} dBFS` : 'silent'} · delay ≤ ${s.maxDelayMs} ms`));
  });
  list.dataset.dropped = dropped;
  list.append(el('dt', 'Dropped'), el('dd', String(dropped)));
}
