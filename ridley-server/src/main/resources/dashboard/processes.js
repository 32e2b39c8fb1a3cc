// Process search and the FAILED / PARKED / LOST lists ("/processes"), with replay and cancel.
import {
  api, h, swap, live, notify, badge, ago, when, processLink, isoDuration, wireJump, showAttention, startCurl,
  LOST_REASONS, REPLAYABLE, CANCELLABLE, UUID,
} from './ridley.js';

const REFRESH_MS = 2000;
const PAGE = 50;
const MAX = 1000;
// The filters a bulk replay understands; the others only narrow the search.
const BULK_FIELDS = ['pipeline', 'status', 'stage', 'lostReason'];
const FIELDS = ['pipeline', 'status', 'stage', 'lostReason', 'user', 'customId', 'notSeenFor'];
const WHY = {
  LOST: 'A process is LOST when a timer fires with its retries spent: no worker took its task in time, or an attempt stopped heartbeating. Lost processes show up here, never silently vanish.',
  FAILED: 'A process FAILS when a stage reports failed with its retries spent and no route handles it.',
  PARKED: 'A route to @park keeps a process here, for a person or an automatic replay.',
};

const LOST_REASON_TEXT = {
  TASK_HEARTBEAT_TIMEOUT: 'no heartbeat',
  TASK_POLL_TO_END_TIMEOUT: 'attempt too long',
  TASK_ENQUEUE_TO_END_TIMEOUT: 'stage too long',
  TASK_ENQUEUE_TO_POLL_TIMEOUT: 'no worker took it',
  PROCESS_START_TO_END_TIMEOUT: 'process deadline',
};

const els = {
  title: document.getElementById('title'),
  tabs: document.getElementById('tabs'),
  filters: document.getElementById('filters'),
  bulk: document.getElementById('bulk'),
  results: document.getElementById('results'),
  confirm: document.getElementById('confirm'),
};
let filter = fromUrl();
let limit = PAGE;
let pipelines = [];
let shown = []; // the processes on screen
let nextCursor = null;
let badDuration = false;
const selected = new Set();
let seen = {};

wireJump();
const poller = live(refresh, REFRESH_MS);
window.addEventListener('popstate', () => {
  filter = fromUrl();
  reset();
});

function fromUrl() {
  const q = new URLSearchParams(location.search);
  return Object.fromEntries(FIELDS.map((f) => [f, q.get(f) || '']));
}

function reset() {
  limit = PAGE;
  selected.clear();
  seen = {};
  poller.now();
}

function go(next) {
  filter = { ...filter, ...next };
  const q = new URLSearchParams();
  for (const f of FIELDS) if (filter[f]) q.set(f, filter[f]);
  history.pushState(null, '', '/processes' + (q.size ? '?' + q : ''));
  reset();
}

async function refresh() {
  const seenBefore = filter.notSeenFor ? isoDuration(filter.notSeenFor) : null;
  const q = new URLSearchParams({ limit: String(limit) });
  for (const f of ['pipeline', 'status', 'stage', 'lostReason', 'user', 'customId']) if (filter[f]) q.set(f, filter[f]);
  if (seenBefore) q.set('seenBefore', seenBefore);
  const [p, page] = await Promise.all([api('/api/v1/pipelines'), api('/api/v1/processes?' + q)]);
  pipelines = p.items;
  shown = page.items;
  nextCursor = page.nextCursor;
  badDuration = !!filter.notSeenFor && !seenBefore;
  for (const id of [...selected]) if (!shown.some((x) => x.id === id)) selected.delete(id);
  els.results.removeAttribute('aria-busy');
  showAttention(pipelines);
  once('title', filter.status, () => {
    const t = filter.status ? filter.status.charAt(0) + filter.status.slice(1).toLowerCase() + ' processes' : 'Processes';
    els.title.textContent = t;
    document.title = t + ' · Ridley';
  });
  once('tabs', [filter, counts()], () => swap(els.tabs, tabs()));
  once('filters', [filter, pipelines.map((x) => [x.name, x.stages.map((s) => s.name)])], () => swap(els.filters, filterForm()));
  renderList();
}

/** Renders only what changed, so live updates keep focus and scroll where they are. */
function once(key, value, render) {
  const sig = JSON.stringify(value);
  if (seen[key] === sig) return;
  seen[key] = sig;
  render();
}

function renderList() {
  once('bulk', [filter, [...selected], shown.map((p) => p.status)], () => swap(els.bulk, bulkBar()));
  // The clock term re-renders every 5 s so "last seen … ago" never goes stale.
  once('results', [shown, [...selected], nextCursor, badDuration, Math.floor(Date.now() / 5000)], () => {
    if (badDuration) {
      swap(els.results, h('p', { class: 'notice notice-error' }, '“' + filter.notSeenFor + '” is not a duration; write it like 90s, 5m, 2h or 1d.'));
      return;
    }
    swap(els.results, shown.length ? table() : empty());
  });
}

function counts() {
  const n = {};
  for (const p of pipelines) {
    if (filter.pipeline && p.name !== filter.pipeline) continue;
    for (const s of p.stages) {
      if (filter.stage && s.name !== filter.stage) continue;
      for (const k of ['failed', 'parked', 'lost']) n[k] = (n[k] || 0) + ((s.counts && s.counts[k]) || 0);
    }
  }
  return n;
}

function tabs() {
  const n = counts();
  const tab = (status, label) => {
    const q = new URLSearchParams();
    for (const f of FIELDS) if (filter[f] && f !== 'status') q.set(f, filter[f]);
    if (status) q.set('status', status);
    const count = n[String(status).toLowerCase()];
    return h(
      'a',
      {
        href: '/processes' + (q.size ? '?' + q : ''),
        class: 'tab',
        'aria-current': filter.status === status ? 'page' : null,
        dataset: { status: status || 'ALL' },
        onclick: (e) => {
          e.preventDefault();
          go({ status });
        },
      },
      label,
      count ? ' (' + count + ')' : '',
    );
  };
  return [
    tab('', 'All'),
    tab('RUNNING', 'Running'),
    tab('FAILED', 'Failed'),
    tab('PARKED', 'Parked'),
    tab('LOST', 'Lost'),
    tab('SUCCEEDED', 'Succeeded'),
    tab('CANCELLED', 'Cancelled'),
  ];
}

function filterForm() {
  // options: values, or [value, text] pairs
  const select = (name, label, options) =>
    h(
      'label',
      { class: 'field' },
      label,
      h(
        'select',
        { name },
        h('option', { value: '' }, 'any'),
        options.map((o) => (Array.isArray(o) ? o : [o, o])).map(([value, text]) => h('option', { value, selected: filter[name] === value }, text)),
      ),
    );
  const input = (name, label, placeholder) =>
    h('label', { class: 'field' }, label, h('input', { name, value: filter[name], placeholder, autocomplete: 'off' }));
  const stageNames = [
    ...new Set(pipelines.filter((p) => !filter.pipeline || p.name === filter.pipeline).flatMap((p) => p.stages.map((s) => s.name))),
  ];
  const form = els.filters;
  form.onsubmit = (e) => {
    e.preventDefault();
    const data = Object.fromEntries(new FormData(form));
    const id = (data.id || '').trim();
    if (id) {
      if (UUID.test(id)) location.href = '/processes/' + id.toLowerCase();
      else notify('“' + id + '” is not a process id; ids are UUIDs like 0192f5c4-8a1e-7cc0-b2a4-3f9e2d1c0b7a.', 'error');
      return;
    }
    go(Object.fromEntries(FIELDS.filter((f) => f !== 'status').map((f) => [f, (data[f] || '').trim()])));
  };
  return [
    input('id', 'process id', 'UUID'),
    select('pipeline', 'pipeline', pipelines.map((p) => p.name)),
    select('stage', 'last seen at stage', stageNames),
    select('lostReason', 'lost reason', LOST_REASONS.map((r) => [r, LOST_REASON_TEXT[r] || r])),
    input('customId', 'customId', ''),
    input('user', 'user', ''),
    input('notSeenFor', 'not seen for more than', 'e.g. 5m, 1h'),
    h('button', { type: 'submit', class: 'primary' }, 'Search'),
    h(
      'button',
      {
        type: 'button',
        onclick: () => go(Object.fromEntries(FIELDS.filter((f) => f !== 'status').map((f) => [f, '']))),
      },
      'Clear',
    ),
  ];
}

function bulkBar() {
  if (!shown.length) return [];
  const picked = shown.filter((p) => selected.has(p.id));
  const replayable = picked.filter((p) => REPLAYABLE.includes(p.status));
  const cancellable = picked.filter((p) => CANCELLABLE.includes(p.status));
  const unsupported = FIELDS.filter((f) => filter[f] && !BULK_FIELDS.includes(f));
  const canBulk = REPLAYABLE.includes(filter.status) && unsupported.length === 0;
  return [
    h('span', { class: 'muted' }, picked.length + ' selected'),
    h(
      'button',
      { type: 'button', disabled: !replayable.length, dataset: { action: 'replay-selected', key: 'replay-selected' }, onclick: () => each(replayable, 'replay') },
      'Replay selected' + (replayable.length ? ' (' + replayable.length + ')' : ''),
    ),
    h(
      'button',
      { type: 'button', class: 'danger', disabled: !cancellable.length, dataset: { action: 'cancel-selected', key: 'cancel-selected' }, onclick: () => each(cancellable, 'cancel') },
      'Cancel selected' + (cancellable.length ? ' (' + cancellable.length + ')' : ''),
    ),
    REPLAYABLE.includes(filter.status)
      ? h(
          'button',
          {
            type: 'button',
            disabled: !canBulk || !shown.length,
            title: canBulk ? null : 'Replay all matching works with pipeline, stage and lost reason filters; clear ' + unsupported.join(', ') + ' first',
            dataset: { action: 'replay-all', key: 'replay-all' },
            onclick: replayAll,
          },
          'Replay all matching…',
        )
      : null,
  ];
}

function table() {
  const all = h('input', {
    type: 'checkbox',
    'aria-label': 'Select all shown',
    dataset: { key: 'select-all' },
    checked: shown.every((p) => selected.has(p.id)),
    onchange: (e) => {
      for (const p of shown) e.target.checked ? selected.add(p.id) : selected.delete(p.id);
      renderList();
    },
  });
  const rows = shown.map((p) =>
    h(
      'tr',
      { dataset: { id: p.id, status: p.status }, class: selected.has(p.id) ? 'selected' : null },
      h(
        'td',
        {},
        h('input', {
          type: 'checkbox',
          'aria-label': 'Select process ' + p.id,
          dataset: { key: 'select:' + p.id },
          checked: selected.has(p.id),
          onchange: (e) => {
            e.target.checked ? selected.add(p.id) : selected.delete(p.id);
            renderList();
          },
        }),
      ),
      h('td', {}, processLink(p.id)),
      h('td', {}, p.pipeline),
      h('td', {}, badge(p.status)),
      h('td', {}, p.lastSeen.stage),
      h('td', { title: p.lastSeen.at }, ago(p.lastSeen.at)),
      h('td', {}, when(p.createdAt)),
      h('td', { class: 'wrap' }, p.customId || h('span', { class: 'muted' }, '—')),
      h('td', {}, p.user || h('span', { class: 'muted' }, '—')),
      h('td', { class: 'wrap' }, reason(p)),
      h('td', {}, h('div', { class: 'actions' }, rowActions(p))),
    ),
  );
  return [
    h(
      'div',
      { class: 'table-wrap card' },
      h(
        'table',
        { 'aria-label': 'Processes' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', {}, all),
            ['process', 'pipeline', 'status', 'stage', 'last seen', 'created', 'customId', 'user', 'why'].map((t) => h('th', { scope: 'col' }, t)),
            h('th', { scope: 'col' }, h('span', { class: 'muted' }, 'actions')),
          ),
        ),
        h('tbody', {}, rows),
      ),
    ),
    nextCursor && limit < MAX
      ? h('button', { type: 'button', dataset: { key: 'more' }, onclick: () => { limit = Math.min(MAX, limit + PAGE); poller.now(); } }, 'Show ' + PAGE + ' more')
      : h('p', { class: 'muted' }, shown.length + (shown.length === 1 ? ' process' : ' processes') + (nextCursor ? ' shown (the first ' + MAX + ')' : '')),
  ];
}

function reason(p) {
  if (p.lostReason) return h('span', { title: LOST_REASON_TEXT[p.lostReason] || '' }, p.lostReason);
  if (p.error) return h('span', { title: p.error.message || '' }, p.error.type + (p.error.message ? ': ' + p.error.message.slice(0, 120) : ''));
  if (p.park && p.park.replayAfterMs) return 'auto-replay after ' + p.park.replayAfterMs / 1000 + ' s';
  return h('span', { class: 'muted' }, '—');
}

function rowActions(p) {
  return [
    REPLAYABLE.includes(p.status)
      ? h('button', { type: 'button', dataset: { action: 'replay', key: 'replay:' + p.id }, 'aria-label': 'Replay process ' + p.id, onclick: () => each([p], 'replay') }, 'Replay')
      : null,
    CANCELLABLE.includes(p.status)
      ? h('button', { type: 'button', class: 'danger', dataset: { action: 'cancel', key: 'cancel:' + p.id }, 'aria-label': 'Cancel process ' + p.id, onclick: () => each([p], 'cancel') }, 'Cancel')
      : null,
  ];
}

/** Replays or cancels processes one by one; reports what worked and what the server refused. */
async function each(list, action) {
  const done = [];
  const refused = [];
  for (const p of list) {
    try {
      await api('/api/v1/processes/' + p.id + '/' + action, { method: 'POST', body: {} });
      done.push(p);
      selected.delete(p.id);
    } catch (e) {
      refused.push(p.id.slice(-12) + ': ' + e.detail);
    }
  }
  const verb = action === 'replay' ? 'Replayed' : 'Cancelled';
  const what = done.length === 1 ? 'process …' + done[0].id.slice(-12) : done.length + ' processes';
  const msg = (done.length ? verb + ' ' + what + '.' : '') + (refused.length ? ' Refused: ' + refused.join('; ') : '');
  notify(msg.trim(), refused.length ? 'error' : 'ok');
  seen = {};
  await poller.now();
}

async function replayAll() {
  const f = Object.fromEntries(BULK_FIELDS.filter((k) => filter[k]).map((k) => [k, filter[k]]));
  const where = [f.pipeline && 'in pipeline ' + f.pipeline, f.stage && 'last seen at stage ' + f.stage, f.lostReason && 'lost by ' + f.lostReason]
    .filter(Boolean)
    .join(', ');
  document.getElementById('confirm-text').textContent =
    'Replay every ' + f.status + ' process' + (where ? ' ' + where : '') + '? Each resumes at the stage where it stopped. ' +
    shown.length + (shown.length >= limit ? '+' : '') + ' match now.';
  els.confirm.returnValue = '';
  els.confirm.showModal();
  els.confirm.addEventListener(
    'close',
    async () => {
      if (els.confirm.returnValue !== 'yes') return;
      try {
        const r = await api('/api/v1/processes/replay', { method: 'POST', body: { filter: f } });
        notify('Replayed ' + r.replayed + (r.replayed === 1 ? ' process.' : ' processes.'));
      } catch (e) {
        notify('Replay all matching failed: ' + e.detail, 'error');
      }
      selected.clear();
      seen = {};
      await poller.now();
    },
    { once: true },
  );
}

// Shown when the search finds nothing: say why, and what to do.
function empty() {
  const filtered = FIELDS.some((f) => filter[f] && f !== 'status');
  if (filtered) {
    return h(
      'div',
      { class: 'empty' },
      h('p', {}, 'No ' + (filter.status ? filter.status + ' ' : '') + 'processes match these filters.'),
      h('button', { type: 'button', onclick: () => go(Object.fromEntries(FIELDS.filter((f) => f !== 'status').map((f) => [f, '']))) }, 'Clear filters'),
    );
  }
  if (filter.status && WHY[filter.status]) {
    return h('div', { class: 'empty' }, h('p', {}, 'No ' + filter.status + ' processes. Nothing needs you here.'), h('p', { class: 'muted' }, WHY[filter.status]));
  }
  if (filter.status) {
    return h('div', { class: 'empty' }, h('p', {}, 'No ' + filter.status + ' processes.'));
  }
  const name = pipelines.length ? pipelines[0].name : 'PIPELINE';
  return h(
    'div',
    { class: 'empty' },
    h('p', {}, 'No processes yet. Start one from the ', h('a', { href: '/' }, 'Pipelines'), ' page, or from a terminal:'),
    h('pre', {}, startCurl(name)),
  );
}
