// Reads the PCM of a recording's WAV file directly (no decoding or resampling) and reduces it to peaks.

/** The 16-bit PCM samples of a RIFF/WAVE file, interleaved: { sampleRate, channels, frames, samples }. */
export function parseWav(buffer) {
  const view = new DataView(buffer);
  const tag = (at) => String.fromCharCode(...new Uint8Array(buffer, at, 4));
  if (buffer.byteLength < 12 || tag(0) !== 'RIFF' || tag(8) !== 'WAVE') throw new Error('not a WAV file');
  let format = null;
  for (let at = 12; at + 8 <= buffer.byteLength;) {
    const id = tag(at);
    const size = view.getUint32(at + 4, true);
    const body = at + 8;
    if (id === 'fmt ') {
      format = {
        code: view.getUint16(body, true),
        channels: view.getUint16(body + 2, true),
        sampleRate: view.getUint32(body + 4, true),
        bits: view.getUint16(body + 14, true),
      };
    } else if (id === 'data') {
      if (!format || format.bits !== 16 || (format.code !== 1 && format.code !== 0xfffe)) {
        throw new Error('not 16-bit PCM');
      }
      // A file cut short (the header is rewritten as the call goes) holds fewer bytes than its header says.
      const bytes = Math.min(size, buffer.byteLength - body);
      const frames = Math.floor(bytes / (2 * format.channels));
      const samples = new Int16Array(buffer, body, frames * format.channels);
      return { sampleRate: format.sampleRate, channels: format.channels, frames, samples };
    }
    at = body + size + (size & 1);
  }
  throw new Error('the WAV file has no data');
}

/**
 * The lowest and highest sample of `channel` in each of `buckets` equal stretches of the file, counting 0 as
 * one of them (so a stretch never lies wholly above or below the centre line), as [min0, max0, min1, max1, …];
 * bucket b covers frames floor(b·frames/buckets) up to floor((b+1)·frames/buckets).
 */
export function peaks(wav, channel, buckets) {
  const out = new Int16Array(2 * buckets);
  const { samples, channels, frames } = wav;
  for (let b = 0; b < buckets; b++) {
    const from = Math.floor((b * frames) / buckets);
    const to = Math.floor(((b + 1) * frames) / buckets);
    let min = 0;
    let max = 0;
    for (let i = from * channels + channel; i < to * channels; i += channels) {
      const s = samples[i];
      if (s < min) min = s;
      if (s > max) max = s;
    }
    out[2 * b] = min;
    out[2 * b + 1] = max;
  }
  return out;
}
