// The dashboard shell: who is signed in, the hash router, polling that pauses while the tab is hidden,
// and the status line. Pages live in their own modules and render into <main>.

import { api, ApiError, setKey } from './api.js';
import { h, replace } from './dom.js';
import { overviewPage } from './overview.js';
import { queuesPage } from './queues.js';
import { jobsPage } from './jobs.js';
import { jobPage } from './job.js';
import { workersPage } from './workers.js';
import { historyPage } from './history.js';

const main = document.getElementById('main');
const who = document.getElementById('who');
const statusEl = document.getElementById('status');
let cleanup = null;
let statusTimer = null;

export const ctx = {
  session: null,
  get canAct() { return this.session?.can_act === true; },
  status(message, isError = false) {
    clearTimeout(statusTimer);
    replace(statusEl, message ? h('span', { class: isError ? 'error' : '' }, message) : '');
    if (message) statusTimer = setTimeout(() => replace(statusEl), isError ? 10000 : 5000);
  },
  fail(error) {
    if (error instanceof ApiError && error.status === 401) { showLogin('Your key was not accepted; sign in again.'); return; }
    ctx.status(error.message || String(error), true);
  },
  /** Runs fn now and every ms while the page is shown and the tab visible; returns a stop function. */
  poll(fn, ms) {
    let timer = null;
    let stopped = false;
    const tick = async () => {
      timer = null;
      if (stopped || document.hidden) return;
      try { await fn(); } catch (e) { ctx.fail(e); }
      if (!stopped && !document.hidden) timer = setTimeout(tick, ms);
    };
    const onVisibility = () => { if (!document.hidden && timer === null && !stopped) tick(); };
    document.addEventListener('visibilitychange', onVisibility);
    tick();
    return () => { stopped = true; clearTimeout(timer); document.removeEventListener('visibilitychange', onVisibility); };
  },
  /** Replaces a region's content and gives focus back to the control that had it (same data-key). */
  swap(container, ...nodes) {
    const focused = document.activeElement?.getAttribute?.('data-key');
    replace(container, ...nodes);
    if (focused) container.querySelector(`[data-key="${CSS.escape(focused)}"]`)?.focus();
  },
  /** Asks before a destructive action. */
  confirm(message) { return window.confirm(message); },
  go(hash) { location.hash = hash; },
};

function route() {
  const raw = location.hash.replace(/^#/, '') || '/';
  const [path, search] = raw.split('?');
  const params = new URLSearchParams(search ?? '');
  const parts = path.split('/').filter(Boolean);
  if (parts.length === 0) return { name: 'overview', render: () => overviewPage(main, ctx) };
  if (parts[0] === 'queues') return { name: 'queues', render: () => queuesPage(main, ctx, params) };
  if (parts[0] === 'jobs') return { name: 'jobs', render: () => jobsPage(main, ctx, params) };
  if (parts[0] === 'job' && parts[1]) return { name: 'jobs', render: () => jobPage(main, ctx, decodeURIComponent(parts.slice(1).join('/'))) };
  if (parts[0] === 'history') return { name: 'history', render: () => historyPage(main, ctx, params) };
  if (parts[0] === 'workers') return { name: 'workers', render: () => workersPage(main, ctx) };
  return { name: '', render: () => { replace(main, h('h1', {}, 'Not found'), h('p', {}, h('a', { href: '#/' }, 'Back to the overview'))); return null; } };
}

async function render() {
  if (cleanup) { cleanup(); cleanup = null; }
  if (!ctx.session) return;
  const current = route();
  for (const a of document.querySelectorAll('.top nav a')) {
    if (a.dataset.page === current.name) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }
  try {
    cleanup = (await current.render()) ?? null;
  } catch (e) {
    ctx.fail(e);
  }
}

function renderWho() {
  const s = ctx.session;
  if (!s) { replace(who); return; }
  if (!s.keys_required) { replace(who, h('span', {}, 'No API keys: open on loopback')); return; }
  replace(who,
    h('span', {}, `Key ${s.key_name} (${s.scopes.join(', ')})`),
    s.can_act ? null : h('span', { class: 'state' }, 'read-only'),
    h('button', { type: 'button', onclick: () => { setKey(null); ctx.session = null; showLogin(); } }, 'Sign out'));
}

function showLogin(message) {
  ctx.session = null;
  if (cleanup) { cleanup(); cleanup = null; }
  renderWho();
  const error = h('p', { class: 'error', role: 'alert' }, message ?? '');
  const input = h('input', { id: 'key', name: 'key', type: 'password', autocomplete: 'off', required: true, spellcheck: 'false' });
  const form = h('form', { class: 'login', onsubmit: async e => {
    e.preventDefault();
    setKey(input.value.trim());
    if (!(await start(true))) { replace(error, 'That key was not accepted (it needs at least the read scope).'); input.focus(); }
  } },
    h('h1', {}, 'Sign in'),
    h('p', {}, 'This server uses API keys. Paste a key with the read scope to look, or admin to act. It stays in this tab only (session storage) and is sent as Authorization: Bearer.'),
    h('label', { for: 'key' }, 'API key', input),
    h('p', {}, h('button', { class: 'primary', type: 'submit' }, 'Sign in')),
    error);
  replace(main, form);
  input.focus();
}

async function start(fromLogin = false) {
  try {
    ctx.session = await api('/v1/dashboard/session');
  } catch (e) {
    if (e instanceof ApiError && (e.status === 401 || e.status === 403)) {
      setKey(null);
      if (!fromLogin) showLogin(e.status === 403 ? 'That key lacks the read scope.' : undefined);
      return false;
    }
    replace(main, h('h1', {}, 'Cannot reach the server'), h('p', { class: 'error' }, e.message));
    return false;
  }
  renderWho();
  await render();
  return true;
}

window.addEventListener('hashchange', render);
start();
