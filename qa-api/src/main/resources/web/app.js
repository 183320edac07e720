// The page's entry: routes the address (#/?filters for the list, #/calls/<id> for a call) to its view, asks for
// the API token when the gateway wants one, and explains the API's refusals.

import { ApiError, forgetToken, me, setToken, token } from './api.js';
import { showCall } from './call.js';
import { dashboardAddressFromForm, dashboardParams, showDashboard } from './dashboard.js';
import { showView } from './dom.js';
import { paramsFromForm, paramsFromHash, showList } from './list.js';
import { listen, showActive, stopListening } from './live.js';

const $ = (selector) => document.querySelector(selector);
let shown = null;
let listAddress = '#/';

function setStatus(text) {
  $('#status').textContent = text;
}

function where() {
  const address = location.hash.replace(/^#/, '') || '/';
  const share = /^\/share\/([^/?]+)$/.exec(address);
  if (share) return { view: 'share', token: decodeURIComponent(share[1]) };
  const call = /^\/calls\/([^/?]+)$/.exec(address);
  if (call) return { view: 'call', id: decodeURIComponent(call[1]) };
  const dashboard = /^\/dashboard(?:\?(.*))?$/.exec(address);
  if (dashboard) return { view: 'dashboard', query: dashboard[1] ?? '' };
  const query = address.indexOf('?');
  return { view: 'list', query: query < 0 ? '' : address.slice(query + 1) };
}

async function route() {
  shown?.abort();
  const controller = new AbortController();
  shown = controller;
  const context = { signal: controller.signal, fail: (error) => failed(error, controller), status: setStatus };
  setStatus('');
  const place = where();
  if (place.view === 'share') {
    // A share link: its token replaces this tab's, and the address loses it before anything else runs.
    setToken(place.token);
    history.replaceState(null, '', '#/');
  }
  $('#forget-token').hidden = !token();
  try {
    const who = await me(controller.signal);
    context.admin = who.admin === true;
    document.body.dataset.role = who.share_call ? 'share' : who.role;
    if (who.share_call && (place.view !== 'call' || place.id !== who.share_call)) {
      location.replace(`#/calls/${encodeURIComponent(who.share_call)}`);
      return;
    }
    if (place.view === 'call') {
      $('#back').href = listAddress;
      $('#back').hidden = Boolean(who.share_call);
      showView('call-view');
      await showCall($('#call-view'), place.id, context);
    } else if (place.view === 'dashboard') {
      showView('dashboard-view');
      await showDashboard($('#dashboard-view'), dashboardParams(place.query), context);
    } else {
      listAddress = location.hash || '#/';
      showView('list-view');
      $('#active').hidden = true;
      if (context.admin) {
        showActive($('#active'), context, (id) => listen(id, context).catch(context.fail))
          .catch(() => { $('#active').hidden = true; });
      }
      await showList($('#list-view'), paramsFromHash(place.query), context);
    }
  } catch (error) {
    context.fail(error);
  }
}

function failed(error, controller) {
  if (controller.signal.aborted || error.name === 'AbortError') return;
  setStatus('');
  if (!(error instanceof ApiError)) {
    message('Something went wrong', error.message);
  } else if (error.code === 'share_link_invalid') {
    forgetToken();
    message('This share link no longer works', `${error.message}. Ask for a new link.`);
  } else if (error.status === 401) {
    const rejected = token() !== null;
    forgetToken();
    askForToken(rejected ? 'That token was not accepted.' : '');
  } else if (error.code === 'index_building' || error.code === 'busy') {
    setStatus('The gateway is busy (the call index may be building); trying again…');
    setTimeout(() => { if (shown === controller) route(); }, (error.retryAfterS ?? 1) * 1000);
  } else if (error.status === 403) {
    message('Not available from here', `${error.message}. Open this page on the gateway's machine, or give the`
      + ' gateway an http.api-token.');
  } else if (error.code === 'call_in_progress') {
    message('Still being recorded', 'This call has not ended yet; open it again when it has.');
  } else {
    message(`Error ${error.status}`, error.message);
  }
}

function message(title, text) {
  $('#message-title').textContent = title;
  $('#message-text').textContent = text;
  showView('message-view');
}

function askForToken(problem) {
  $('#auth-error').textContent = problem;
  $('#auth-error').hidden = !problem;
  $('#forget-token').hidden = true;
  showView('auth-view');
  $('#token').focus();
}

$('#auth-form').addEventListener('submit', (event) => {
  event.preventDefault();
  setToken($('#token').value.trim());
  $('#token').value = '';
  route();
});

$('#live-stop').addEventListener('click', () => {
  stopListening();
  route();
});

$('#forget-token').addEventListener('click', () => {
  forgetToken();
  route();
});

$('#filters').addEventListener('submit', (event) => {
  event.preventDefault();
  const address = `#/?${paramsFromForm(event.target)}`;
  if (location.hash === address) route();
  else location.hash = address;
});

$('#dashboard-filters').addEventListener('submit', (event) => {
  event.preventDefault();
  const address = dashboardAddressFromForm(event.target);
  if (location.hash === address) route();
  else location.hash = address;
});

$('#filters').addEventListener('reset', (event) => {
  event.preventDefault();
  if (location.hash === '#/') route();
  else location.hash = '#/';
});

window.addEventListener('hashchange', route);
route();
