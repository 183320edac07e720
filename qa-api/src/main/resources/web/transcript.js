// The transcript: both sides' turns in time order with speaker labels; clicking a turn seeks the player to its
// start, and the turns under the playhead are marked as current.

import { el } from './dom.js';
import { clock } from './format.js';

const LABELS = { caller: 'Caller', assistant: 'Assistant' };

/** Renders `turns` into `list`; returns mark(ms, follow), which marks the turns playing at `ms`. */
export function renderTranscript(list, turns, seek) {
  const sorted = [...turns].sort((a, b) => a.start_ms - b.start_ms);
  const items = sorted.map((turn) => {
    const item = el('li', undefined, `turn ${turn.role}`);
    const time = el('button', `${clock(turn.start_ms)}–${clock(turn.end_ms)}`, 'time');
    time.type = 'button';
    const head = el('div', undefined, 'head');
    head.append(el('span', LABELS[turn.role] ?? turn.role, 'speaker'), time);
    if (turn.interrupted) head.append(el('span', 'interrupted', 'badge'));
    item.append(head, turn.text ? el('p', turn.text, 'text') : el('p', 'no transcript', 'text missing'));
    item.addEventListener('click', () => seek(turn.start_ms));
    return item;
  });
  list.replaceChildren(...items);
  if (items.length === 0) list.append(el('li', 'Nobody spoke.', 'none'));
  return (ms, follow) => {
    sorted.forEach((turn, i) => {
      const current = turn.start_ms <= ms && ms < turn.end_ms;
      if (current === items[i].classList.contains('current')) return;
      items[i].classList.toggle('current', current);
      if (current) {
        items[i].setAttribute('aria-current', 'true');
        if (follow) items[i].scrollIntoView({ block: 'nearest' });
      } else {
        items[i].removeAttribute('aria-current');
      }
    });
  };
}
