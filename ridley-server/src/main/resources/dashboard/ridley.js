// Shared by every dashboard page: calling the API, building DOM, formatting, live refresh.
// Plain ES modules, no library, no build step.

/** An answer that was not 2xx; `detail` is the problem+json detail a person can act on. */
export class ApiError extends Error {
  constructor(status, detail, body) {
    super(detail);
    this.status = status;
    this.detail = detail;
    this.body = body;
  }
}

/**
 * Who is signed in: {authentication, name, roles, csrfToken?} from /api/v1/me, asked once per page.
 * With authentication on, the page offers only what the roles allow (see `html[data-lacks]` in
 * ridley.css) and sends the CSRF token with every POST.
 */
let whoAmI = null;
export function me() {
  if (!whoAmI) {
    whoAmI = fetch('/api/v1/me', { headers: { Accept: 'application/json' } }).then(async (res) => {
      if (res.status === 401) {
        signIn();
        return new Promise(() => {});
      }
      return res.ok ? res.json() : { authentication: 'none', name: null, roles: [] };
    });
    whoAmI.then(showCaller, () => {});
  }
  return whoAmI;
}

/** Sends the browser to the sign-in page, to come back here afterwards. */
function signIn() {
  location.assign('/signin?next=' + encodeURIComponent(location.pathname + location.search));
}

/** What the roles lack, as the stylesheet reads it; and who is signed in, with a way out. */
function showCaller(who) {
  const roles = new Set(who.roles || []);
  const admin = roles.has('admin');
  const lacks = [];
  if (!admin && !roles.has('operator')) lacks.push('operate');
  if (!admin && !roles.has('client')) lacks.push('start');
  document.documentElement.dataset.lacks = lacks.join(' ');
  if (who.authentication !== 'on') return;
  const top = document.querySelector('header.top');
  if (!top || top.querySelector('.caller')) return;
  top.append(h('span', { class: 'caller' }, 'Signed in as ', h('b', { dataset: { caller: who.name } }, who.name), ' · ',
    h('button', { type: 'button', class: 'link', dataset: { action: 'signout' }, onclick: async () => {
      await fetch('/signout', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
      location.assign('/signin');
    } }, 'Sign out')));
}

/** Calls the API on this origin. Answers JSON (or text for text/plain); throws ApiError. */
export async function api(path, { method = 'GET', body, accept = 'application/json' } = {}) {
  const headers = { Accept: accept };
  if (method !== 'GET') {
    headers['Content-Type'] = 'application/json';
    if (body === undefined) body = {};
    const who = await me();
    if (who.csrfToken) headers['X-CSRF-Token'] = who.csrfToken;
  }
  let res;
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    throw new ApiError(0, 'cannot reach the Ridley server (' + e.message + ')', null);
  }
  const type = res.headers.get('Content-Type') || '';
  const text = await res.text();
  let data = text;
  if (type.includes('json') && text) {
    data = JSON.parse(text);
  }
  if (res.status === 401) {
    signIn();
  }
  if (!res.ok) {
    const detail = (data && data.detail) || text || res.statusText;
    throw new ApiError(res.status, detail, data);
  }
  return data;
}

/** Builds an element. Props: class, text, dataset, on<event>, boolean and string attributes. */
export function h(tag, props, ...children) {
  return build(document.createElement(tag), props, children);
}

/** As h(), for SVG elements. */
export function svg(tag, props, ...children) {
  return build(document.createElementNS('http://www.w3.org/2000/svg', tag), props, children);
}

function build(el, props, children) {
  for (const [k, v] of Object.entries(props || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') el.setAttribute('class', v);
    else if (k === 'text') el.textContent = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/**
 * Replaces the children of `container`, keeping keyboard focus on the element with the same
 * data-key, so live updates never pull the focus away from someone using the keyboard.
 */
export function swap(container, ...children) {
  const active = document.activeElement;
  const key = active && container.contains(active) ? active.dataset.key : null;
  container.replaceChildren();
  append(container, children);
  if (key) {
    const again = container.querySelector('[data-key="' + CSS.escape(key) + '"]');
    if (again) again.focus();
  }
}

/**
 * Runs `refresh` now and then every `everyMs`, slower while the tab is hidden and after
 * failures. The header's live indicator says when the data last arrived, or why it did not.
 */
export function live(refresh, everyMs) {
  let timer = null;
  let running = false;
  let again = false; // asked for while running: the data may predate what was asked (a new filter)
  let failures = 0;
  const tick = async () => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    clearTimeout(timer);
    try {
      await refresh();
      failures = 0;
      liveStatus(null);
    } catch (e) {
      failures++;
      liveStatus(e);
      // The server being away is expected; anything else is a bug in the page: say so loudly.
      if (!(e instanceof ApiError)) console.error(e);
    }
    running = false;
    if (again) {
      again = false;
      tick();
      return;
    }
    const delay = document.hidden ? everyMs * 5 : everyMs * Math.min(8, 2 ** failures);
    timer = setTimeout(tick, delay);
  };
  document.addEventListener('visibilitychange', () => {
    if (!document.hidden) tick();
  });
  tick();
  return { now: tick };
}

function liveStatus(error) {
  const el = document.getElementById('live');
  if (!el) return;
  el.classList.toggle('live-error', !!error);
  el.textContent = error
    ? 'Not updating: ' + (error.detail || error.message) + ' — retrying'
    : 'Live · updated ' + new Date().toLocaleTimeString();
}

/** Shows a message (text or a node) in the page's polite live region; screen readers announce it. */
export function notify(message, kind = 'ok') {
  const el = document.getElementById('notice');
  if (!el) return;
  el.className = 'notice notice-' + kind;
  el.replaceChildren(message || '');
  el.hidden = !message;
}

/** Puts the number of FAILED, PARKED and LOST processes on the header's link to them. */
export function showAttention(pipelines) {
  const link = document.getElementById('nav-attention');
  if (!link) return;
  const n = { FAILED: 0, PARKED: 0, LOST: 0 };
  for (const p of pipelines) {
    for (const s of p.stages) {
      n.FAILED += (s.counts && s.counts.failed) || 0;
      n.PARKED += (s.counts && s.counts.parked) || 0;
      n.LOST += (s.counts && s.counts.lost) || 0;
    }
  }
  const total = n.FAILED + n.PARKED + n.LOST;
  link.textContent = 'Failed · Parked · Lost' + (total ? ' (' + total + ')' : '');
  // Open the list that has something in it.
  const first = ['LOST', 'FAILED', 'PARKED'].find((s) => n[s] > 0) || 'FAILED';
  link.href = '/processes?status=' + first;
  return n;
}

// ---- formatting -------------------------------------------------------------------------------

export const REPLAYABLE = ['FAILED', 'LOST', 'PARKED'];
export const CANCELLABLE = ['RUNNING', 'PARKED'];
export const LOST_REASONS = [
  'TASK_HEARTBEAT_TIMEOUT',
  'TASK_POLL_TO_END_TIMEOUT',
  'TASK_ENQUEUE_TO_END_TIMEOUT',
  'TASK_ENQUEUE_TO_POLL_TIMEOUT',
  'PROCESS_START_TO_END_TIMEOUT',
];

/** A status as a coloured badge; the word itself carries the meaning, colour only helps. */
export function badge(status) {
  return h('span', { class: 'badge badge-' + String(status).toLowerCase() }, status);
}

/** "850 ms", "4.2 s", "3 min 12 s", "2 h 5 min", "3 d 4 h". */
export function duration(ms) {
  if (ms === null || ms === undefined || Number.isNaN(ms)) return '—';
  ms = Math.max(0, ms);
  if (ms < 1000) return Math.round(ms) + ' ms';
  const s = ms / 1000;
  if (s < 10) return s.toFixed(1) + ' s';
  if (s < 60) return Math.round(s) + ' s';
  const m = Math.floor(s / 60);
  if (m < 60) return m + ' min ' + (Math.floor(s) % 60) + ' s';
  const hrs = Math.floor(m / 60);
  if (hrs < 48) return hrs + ' h ' + (m % 60) + ' min';
  return Math.floor(hrs / 24) + ' d ' + (hrs % 24) + ' h';
}

/** "4.2 s ago" from an ISO instant; "—" for none. */
export function ago(iso) {
  if (!iso) return '—';
  return duration(Date.now() - Date.parse(iso)) + ' ago';
}

/** Local time, with the date unless it is today; full ISO instant in the tooltip. */
export function when(iso) {
  if (!iso) return h('span', { class: 'muted' }, '—');
  const d = new Date(iso);
  const today = new Date().toDateString() === d.toDateString();
  const text = today ? d.toLocaleTimeString() : d.toLocaleString();
  return h('time', { datetime: iso, title: iso }, text);
}

/** A process id as a link to its page, shortened to its random tail (UUIDv7 heads are time). */
export function processLink(id) {
  return h('a', { href: '/processes/' + id, class: 'mono', title: id, 'aria-label': 'process ' + id, dataset: { key: 'open:' + id } }, '…' + id.slice(-12));
}

export function pretty(value) {
  return JSON.stringify(value, null, 2);
}

/** A block of JSON, or a note saying there is none. */
export function jsonBlock(value, none) {
  if (value === null || value === undefined) return h('p', { class: 'muted' }, none);
  return h('pre', { class: 'json', tabindex: '0' }, pretty(value));
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Accepts "90s", "5m", "2h", "1d", "1h30m" or an ISO duration ("PT30S") and answers the ISO form
 * the API takes; null when it is not a duration.
 */
export function isoDuration(text) {
  const t = String(text || '').trim();
  if (!t) return null;
  if (/^P/i.test(t)) return t.toUpperCase(); // already ISO: the server checks it
  const m = t.match(/^(?:(\d+)\s*d)?\s*(?:(\d+)\s*h)?\s*(?:(\d+)\s*m(?:in)?)?\s*(?:(\d+)\s*s(?:ec)?)?$/i);
  if (!m) return null;
  const [, d = 0, hrs = 0, min = 0, sec = 0] = m;
  const seconds = Number(d) * 86400 + Number(hrs) * 3600 + Number(min) * 60 + Number(sec);
  return seconds > 0 ? 'PT' + seconds + 'S' : null;
}

/** Wires the header's "go to a process" box: a UUID opens the process, anything else a customId search. */
export function wireJump() {
  const form = document.getElementById('jump');
  if (!form) return;
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const v = form.elements.q.value.trim();
    if (!v) return;
    location.href = UUID.test(v) ? '/processes/' + v.toLowerCase() : '/processes?customId=' + encodeURIComponent(v);
  });
}

/** The curl that starts a process, for empty states. */
export function startCurl(pipeline, payload = '{"x": 1, "y": 2}') {
  return (
    'curl -X POST ' + location.origin + '/api/v1/pipelines/' + encodeURIComponent(pipeline) + '/processes \\\n' +
    "  -H 'Content-Type: application/json' -d '{\"payload\": " + payload + "}'"
  );
}

// Every page asks once who is signed in, so what the roles lack is hidden from the start.
me();
