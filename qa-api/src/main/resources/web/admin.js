// A call's legal hold, shown to everyone who may read the call, and the actions only an admin sees: place or lift
// the hold, create a share link, delete the call. The gateway checks the role again on every request.

import { callPath, getJson, send } from './api.js';
import { localTime } from './format.js';

/** A week: how long a share link made from the page lasts. */
const SHARE_SECONDS = 7 * 24 * 3600;

function holdText(hold) {
  const reason = hold.reason ? `: ${hold.reason}` : '';
  return `Under legal hold since ${localTime(hold.held_at)} (by ${hold.by})${reason}. It is kept from deletion and`
    + ' retention until the hold is lifted.';
}

/** Fills the hold note and, for an admin, wires the action buttons of call `id`. */
export async function showCallAdmin(view, id, { signal, fail, admin }) {
  const note = view.querySelector('#call-hold');
  const panel = view.querySelector('#call-admin');
  const result = view.querySelector('#call-admin-result');
  const holdButton = view.querySelector('#hold-call');
  panel.hidden = !admin;
  result.textContent = '';
  const render = (hold) => {
    note.hidden = !hold.legal_hold;
    note.textContent = hold.legal_hold ? holdText(hold) : '';
    holdButton.textContent = hold.legal_hold ? 'Lift legal hold' : 'Place legal hold';
    holdButton.dataset.held = String(hold.legal_hold);
  };
  render(await getJson(callPath(id, 'hold'), signal));
  if (!admin) return;
  const act = (work) => work().catch((error) => { result.textContent = error.message; }).catch(fail);
  holdButton.addEventListener('click', () => act(async () => {
    const held = holdButton.dataset.held === 'true';
    render(await send(held ? 'DELETE' : 'PUT', callPath(id, 'hold'), held ? undefined : {}, signal));
  }), { signal });
  view.querySelector('#share-call').addEventListener('click', () => act(async () => {
    const link = await send('POST', callPath(id, 'share'), { expires_in: SHARE_SECONDS }, signal);
    result.textContent = `Share link (until ${localTime(link.expires_at)}): ${location.origin}${link.url}`;
  }), { signal });
  view.querySelector('#delete-call').addEventListener('click', () => act(async () => {
    if (!confirm('Delete this call and its recording for good?')) return;
    await send('DELETE', callPath(id), undefined, signal);
    location.hash = '#/';
  }), { signal });
}
