// The two-lane waveform (caller above, assistant below) drawn from the recording's samples, with the turns tinted
// in their lane, holds and tool calls shaded, concealed caller audio shaded in the caller's lane, session switches
// and DTMF marked, a time axis and the playhead.
// Colours come from the canvas's CSS custom properties.

import { clock } from './format.js';
import { peaks } from './wav.js';

/** Peaks kept per lane; a column of a narrower canvas takes the extremes of the buckets it covers. */
const BUCKETS = 4096;
const AXIS_PX = 18;
const TICK_STEPS_S = [0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600];
const MIN_TICK_PX = 70;
const FULL_SCALE = 32768;

export class Waveform {
  constructor(canvas, wav, turns, events) {
    this.canvas = canvas;
    this.turns = turns;
    this.events = events;
    this.durationMs = (wav.frames * 1000) / wav.sampleRate;
    const buckets = Math.min(BUCKETS, wav.frames);
    this.lanes = [0, 1].map((channel) => peaks(wav, channel, buckets));
    this.base = document.createElement('canvas');
    this.playheadMs = 0;
    this.resize();
  }

  /** Fits the drawing to the canvas's size on screen. */
  resize() {
    const ratio = window.devicePixelRatio || 1;
    const width = Math.max(1, Math.round(this.canvas.clientWidth * ratio));
    const height = Math.max(1, Math.round(this.canvas.clientHeight * ratio));
    if (width === this.base.width && height === this.base.height) return;
    this.canvas.width = this.base.width = width;
    this.canvas.height = this.base.height = height;
    this.ratio = ratio;
    this.drawBase();
    this.draw(this.playheadMs);
  }

  /** The recording time under a pointer at `clientX`. */
  msAt(clientX) {
    const box = this.canvas.getBoundingClientRect();
    const f = Math.min(1, Math.max(0, (clientX - box.left) / box.width));
    return f * this.durationMs;
  }

  /** Draws the waveform and the playhead at `ms`. */
  draw(ms) {
    this.playheadMs = ms;
    const ctx = this.canvas.getContext('2d');
    ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
    ctx.drawImage(this.base, 0, 0);
    const x = Math.round(this.x(ms)) + 0.5;
    ctx.strokeStyle = this.color('--playhead');
    ctx.lineWidth = Math.max(1, this.ratio);
    ctx.beginPath();
    ctx.moveTo(x, 0);
    ctx.lineTo(x, this.base.height - AXIS_PX * this.ratio);
    ctx.stroke();
  }

  x(ms) {
    return this.durationMs > 0 ? (ms / this.durationMs) * this.base.width : 0;
  }

  color(name) {
    return getComputedStyle(this.canvas).getPropertyValue(name).trim() || 'gray';
  }

  drawBase() {
    const ctx = this.base.getContext('2d');
    const { width, height } = this.base;
    const laneHeight = (height - AXIS_PX * this.ratio) / 2;
    ctx.clearRect(0, 0, width, height);
    ['caller', 'assistant'].forEach((role, lane) => {
      const top = lane * laneHeight;
      ctx.fillStyle = this.color(`--${role}-turn`);
      for (const turn of this.turns.filter((t) => t.role === role)) {
        ctx.fillRect(this.x(turn.start_ms), top, Math.max(1, this.x(turn.end_ms) - this.x(turn.start_ms)), laneHeight);
      }
      this.drawLane(ctx, this.lanes[lane], top, laneHeight, this.color(`--${role}`));
    });
    this.drawEvents(ctx, 2 * laneHeight);
    this.drawAxis(ctx, 2 * laneHeight);
  }

  drawLane(ctx, lane, top, height, color) {
    const buckets = lane.length / 2;
    const mid = top + height / 2;
    const scale = (height / 2 - 1) / FULL_SCALE;
    ctx.fillStyle = color;
    ctx.fillRect(0, Math.floor(mid), this.base.width, 1);
    for (let x = 0; x < this.base.width && buckets > 0; x++) {
      const from = Math.floor((x * buckets) / this.base.width);
      const to = Math.max(from + 1, Math.floor(((x + 1) * buckets) / this.base.width));
      let min = 0;
      let max = 0;
      for (let b = from; b < to; b++) {
        min = Math.min(min, lane[2 * b]);
        max = Math.max(max, lane[2 * b + 1]);
      }
      const y = mid - max * scale;
      ctx.fillRect(x, y, 1, Math.max(1, (max - min) * scale));
    }
  }

  drawEvents(ctx, bottom) {
    for (const event of this.events) {
      const x = this.x(event.startMs);
      const width = event.endMs === undefined ? 2 * this.ratio : Math.max(2, this.x(event.endMs) - x);
      ctx.fillStyle = this.color(`--${event.kind}`);
      // A loss concerns the caller's audio only: its lane, the upper one.
      ctx.fillRect(x, 0, width, event.kind === 'loss' ? bottom / 2 : bottom);
    }
  }

  drawAxis(ctx, top) {
    const seconds = this.durationMs / 1000;
    const pxPerS = this.base.width / Math.max(seconds, 0.001);
    const step = TICK_STEPS_S.find((s) => s * pxPerS >= MIN_TICK_PX * this.ratio) ?? TICK_STEPS_S.at(-1);
    ctx.fillStyle = this.color('--axis');
    ctx.font = `${11 * this.ratio}px sans-serif`;
    ctx.textBaseline = 'top';
    ctx.fillRect(0, top, this.base.width, 1);
    for (let s = 0; s <= seconds; s += step) {
      const x = Math.round(s * pxPerS);
      const label = clock(s * 1000);
      ctx.fillRect(x, top, 1, 4 * this.ratio);
      if (x + ctx.measureText(label).width + 3 * this.ratio <= this.base.width) {
        ctx.fillText(label, x + 3 * this.ratio, top + 4 * this.ratio);
      }
    }
  }
}
