// Download links for a call's files. Each link names the API path, so it works by itself where no token is needed;
// a click fetches the file with the token header instead and saves it from a blob: URL, which is revoked when the
// view closes.

import { callPath, getBlob } from './api.js';
import { el } from './dom.js';

const FILES = [
  { file: 'audio.wav', suffix: '.wav', label: 'Recording (stereo WAV: caller left, assistant right)' },
  { file: 'audio.wav?channel=caller', suffix: '-caller.wav', label: 'Caller channel (mono WAV)' },
  { file: 'audio.wav?channel=assistant', suffix: '-assistant.wav', label: 'Assistant channel (mono WAV)' },
  { file: 'captions.vtt', suffix: '.vtt', label: 'Captions (WebVTT)' },
  { file: 'captions.srt', suffix: '.srt', label: 'Captions (SRT)' },
  { file: 'transcript.txt', suffix: '.txt', label: 'Transcript (text)' },
  { file: '', suffix: '.json', label: 'call.json' },
];

/** Renders the links; `fetched` maps an API path to a Blob the view already holds. */
export function renderDownloads(list, id, fetched, { signal, fail }) {
  const urls = [];
  signal.addEventListener('abort', () => urls.forEach((url) => URL.revokeObjectURL(url)));
  list.replaceChildren(...FILES.map(({ file, suffix, label }) => {
    const path = callPath(id, file);
    const link = el('a', label);
    link.href = path;
    link.download = id + suffix;
    link.addEventListener('click', async (event) => {
      event.preventDefault();
      try {
        const blob = fetched.get(path) ?? await getBlob(path, signal);
        const url = URL.createObjectURL(blob);
        urls.push(url);
        const save = el('a');
        save.href = url;
        save.download = link.download;
        save.click();
      } catch (error) {
        fail(error);
      }
    }, { signal });
    const item = el('li');
    item.append(link);
    return item;
  }));
}
