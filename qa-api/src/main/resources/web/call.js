// One call: its facts, the waveform and player, the transcript that follows playback, the events and the downloads.
// The recording is fetched once with the token header; the player plays it from a blob: URL (an <audio> element
// cannot send headers) and the waveform is drawn from the same bytes.

import { showCallAdmin } from './admin.js';
import { renderAnalytics } from './analytics.js';
import { callPath, getBlob, getJson } from './api.js';
import { renderDownloads } from './downloads.js';
import { el } from './dom.js';
import { duration, localTime } from './format.js';
import { renderEvents, timelineEvents } from './timeline.js';
import { renderTranscript } from './transcript.js';
import { renderQuality } from './quality.js';
import { showReplays } from './replay.js';
import { showReview } from './review.js';
import { parseWav } from './wav.js';
import { Waveform } from './waveform.js';

function renderFacts(view, call) {
  view.querySelector('#call-title').textContent = `${call.from ?? 'unknown caller'} → ${call.to ?? ''}`;
  const facts = [
    ['Started', localTime(call.started_at)],
    ['Duration', duration(call.duration_ms ?? 0)],
    ['End reason', call.end_reason],
    ['Codec', call.codec],
    ['Call id', call.id],
    ['SIP Call-ID', call.sip_call_id],
  ];
  view.querySelector('#call-facts').replaceChildren(...facts.flatMap(([name, value]) => [el('dt', name),
    el('dd', value ?? '')]));
  const warning = view.querySelector('#call-warning');
  const missing = call.recording?.missing ?? [];
  const counters = call.recorder ?? {};
  const lost = counters.dropped_chunks > 0 || counters.late_samples > 0 || counters.rejected_samples > 0;
  warning.hidden = call.recording?.complete !== false && missing.length === 0 && !lost;
  warning.textContent = missing.length > 0
    ? `The recording is incomplete: ${missing.length} stretch${missing.length === 1 ? '' : 'es'} of audio missing.`
    : 'The recording is incomplete: some audio was lost.';
}

/** Shows call `id`; everything it sets up is undone when `signal` aborts. */
export async function showCall(view, id, { signal, fail, status, admin, name }) {
  const player = view.querySelector('#player');
  const canvas = view.querySelector('#waveform');
  player.removeAttribute('src');
  canvas.getContext('2d').clearRect(0, 0, canvas.width, canvas.height);
  const call = await getJson(callPath(id), signal);
  renderFacts(view, call);
  await showReplays(view.querySelector('#replay-panel'), call, signal);
  renderQuality(view.querySelector('#quality'), view.querySelector('#call-quality'), call);
  const seek = (ms) => { player.currentTime = ms / 1000; };
  const mark = renderTranscript(view.querySelector('#transcript'), call.turns ?? [], seek);
  const events = timelineEvents(call);
  renderEvents(view.querySelector('#events'), events, seek);
  const fetched = new Map();
  renderDownloads(view.querySelector('#downloads'), id, fetched, { signal, fail });
  await showCallAdmin(view, id, { signal, fail, admin });

  status('Loading the recording…');
  const audioPath = callPath(id, 'audio.wav');
  const blob = await getBlob(audioPath, signal);
  fetched.set(audioPath, blob);
  const wav = parseWav(await blob.arrayBuffer());
  if (signal.aborted) return;
  const url = URL.createObjectURL(blob);
  player.src = url;
  const waveform = new Waveform(canvas, wav, call.turns ?? [], events);
  renderAnalytics(view.querySelector('#analytics'), view.querySelector('#call-analytics'),
    view.querySelector('#analytics-marks'), call, waveform.durationMs, seek);
  status('');
  await showReview(view, id, { signal, fail, me: name, now: () => player.currentTime * 1000, seek,
    durationMs: waveform.durationMs });

  const update = () => {
    // Whole milliseconds, as call.json has them: a seek to 4.169 s may read back as 4.168999.
    const ms = Math.round(player.currentTime * 1000);
    waveform.draw(ms);
    mark(ms, !player.paused);
  };
  const follow = () => {
    update();
    if (!player.paused && !signal.aborted) requestAnimationFrame(follow);
  };
  const resized = new ResizeObserver(() => waveform.resize());
  resized.observe(canvas);
  for (const type of ['timeupdate', 'seeked', 'loadedmetadata']) player.addEventListener(type, update, { signal });
  player.addEventListener('play', follow, { signal });
  canvas.addEventListener('click', (event) => seek(waveform.msAt(event.clientX)), { signal });
  signal.addEventListener('abort', () => {
    resized.disconnect();
    player.pause();
    player.removeAttribute('src');
    player.load();
    URL.revokeObjectURL(url);
  });
  update();
}
