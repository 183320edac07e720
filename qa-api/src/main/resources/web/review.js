// Reviewing a call: the scorecard form from /api/scorecard (this token's own review filled in when there is one),
// the other reviewers' scores, and notes pinned to moments of the recording, shown as marks under the waveform.
// Clicking a mark or a note's time seeks the player there. The gateway names the reviewer from the token.

import { callPath, getJson, send } from './api.js';
import { el } from './dom.js';
import { clock } from './format.js';

function criterionField(criterion, answer) {
  const box = el('fieldset', undefined, 'criterion');
  box.dataset.criterion = criterion.id;
  box.append(el('legend', criterion.label + (criterion.comment_required ? ' (comment required)' : '')));
  const choices = criterion.kind === 'pass_fail'
    ? [['true', 'Pass', answer?.value === 1], ['false', 'Fail', answer?.value === 0]]
    : [1, 2, 3, 4, 5].map((v) => [String(v), String(v), answer?.value === v]);
  for (const [value, text, checked] of choices) {
    const input = el('input');
    input.type = 'radio';
    input.name = `answer-${criterion.id}`;
    input.value = value;
    input.required = true;
    input.checked = checked;
    const label = el('label');
    label.append(input, ` ${text}`);
    box.append(label);
  }
  const comment = el('input', undefined, 'comment');
  comment.name = `comment-${criterion.id}`;
  comment.placeholder = 'Comment';
  comment.maxLength = 2000;
  comment.required = criterion.comment_required;
  comment.value = answer?.comment ?? '';
  box.append(comment);
  return box;
}

function answersOf(form, criteria) {
  return criteria.map((c) => {
    const chosen = form.querySelector(`input[name="answer-${c.id}"]:checked`)?.value;
    const value = c.kind === 'pass_fail' ? chosen === 'true' : Number(chosen);
    return { criterion: c.id, value, comment: form.elements[`comment-${c.id}`].value };
  });
}

function renderReviews(list, reviews) {
  list.replaceChildren(...reviews.map((r) => {
    const item = el('li', `${r.reviewer}: ${r.score}`, 'review-score');
    if (r.comment) item.append(el('span', ` — ${r.comment}`, 'none'));
    return item;
  }));
  if (reviews.length === 0) list.append(el('li', 'Not reviewed yet.', 'none'));
}

function renderNotes(panel, marks, notes, { me, durationMs, seek, remove }) {
  const list = panel.querySelector('.notes');
  const sorted = [...notes].sort((a, b) => a.at_ms - b.at_ms);
  list.replaceChildren(...sorted.map((note) => {
    const item = el('li', undefined, 'note');
    item.dataset.noteId = note.id;
    const time = el('button', clock(note.at_ms), 'time');
    time.type = 'button';
    time.addEventListener('click', () => seek(note.at_ms));
    item.append(time, ' ', el('span', note.text, 'text'), ' ', el('span', `(${note.by})`, 'none'));
    if (note.by === me) {
      const del = el('button', 'Delete', 'delete-note');
      del.type = 'button';
      del.addEventListener('click', () => remove(note.id));
      item.append(' ', del);
    }
    return item;
  }));
  if (notes.length === 0) list.append(el('li', 'No notes.', 'none'));
  marks.replaceChildren(...sorted.map((note) => {
    const mark = el('button', undefined, 'note-mark');
    mark.type = 'button';
    mark.dataset.noteId = note.id;
    mark.title = `${clock(note.at_ms)} ${note.text} (${note.by})`;
    mark.style.left = `${Math.min(100, (100 * note.at_ms) / Math.max(1, durationMs))}%`;
    mark.addEventListener('click', () => seek(note.at_ms));
    return mark;
  }));
}

/**
 * Fills the review panel of call `id` for the token named `me`; `now()` is the playhead in ms, `durationMs` the
 * recording's length (for the marks), `seek(ms)` moves the player.
 */
export async function showReview(view, id, { signal, fail, me, now, seek, durationMs }) {
  const panel = view.querySelector('#review-panel');
  const marks = view.querySelector('#note-marks');
  if (document.body.dataset.role === 'share') {
    panel.hidden = true;
    marks.replaceChildren();
    return;
  }
  const [form, stored] = await Promise.all([getJson('/api/scorecard', signal),
    getJson(callPath(id, 'review'), signal)]);
  if (signal.aborted) return;
  panel.hidden = false;
  const result = panel.querySelector('#review-result');
  result.textContent = '';
  const scorecard = panel.querySelector('#scorecard');
  scorecard.hidden = !form.configured;
  panel.querySelector('#scorecard-title').textContent = form.title || 'Scorecard';
  const mine = stored.reviews.find((r) => r.reviewer === me);
  const answers = new Map((mine?.answers ?? []).map((a) => [a.criterion, a]));
  panel.querySelector('#criteria').replaceChildren(...form.criteria.map((c) => criterionField(c, answers.get(c.id))));
  scorecard.elements.overall.value = mine?.comment ?? '';
  renderReviews(panel.querySelector('#reviews'), stored.reviews);

  let notes = stored.notes;
  const act = (work) => work().catch((error) => { result.textContent = error.message; }).catch(fail);
  const redraw = () => renderNotes(panel, marks, notes, { me, durationMs, seek, remove });
  const remove = (noteId) => act(async () => {
    await send('DELETE', `${callPath(id, 'notes')}/${encodeURIComponent(noteId)}`, undefined, signal);
    notes = notes.filter((n) => n.id !== noteId);
    redraw();
  });
  redraw();
  scorecard.addEventListener('submit', (event) => {
    event.preventDefault();
    act(async () => {
      const saved = await send('PUT', callPath(id, 'review'), { answers: answersOf(scorecard, form.criteria),
        comment: scorecard.elements.overall.value }, signal);
      renderReviews(panel.querySelector('#reviews'), saved.reviews);
      const score = saved.reviews.find((r) => r.reviewer === me)?.score;
      result.textContent = `Saved: score ${score}`;
    });
  }, { signal });
  const noteForm = panel.querySelector('#note-form');
  noteForm.addEventListener('submit', (event) => {
    event.preventDefault();
    act(async () => {
      const note = await send('POST', callPath(id, 'notes'), { at_ms: Math.round(now()),
        text: noteForm.elements.text.value }, signal);
      noteForm.elements.text.value = '';
      notes = [...notes, note];
      redraw();
    });
  }, { signal });
  signal.addEventListener('abort', () => marks.replaceChildren());
}
