// One process ("/processes/{id}"): status, lastSeen, payload/output/error, timeline, action tree.
import { api, h, swap, live, notify, badge, ago, when, duration, jsonBlock, wireJump, UUID, REPLAYABLE, CANCELLABLE } from './ridley.js';
import { timeline, attemptsTable } from './timeline.js';
import { actionTree } from './tree.js';

const REFRESH_MS = 1500;
const TABS = [
  ['tree', 'Action tree'],
  ['text', 'As text'],
  ['journal', 'Journal'],
];

const root = document.getElementById('process');
const id = decodeURIComponent(location.pathname.split('/')[2] || '');
const closedNodes = new Set();
const parts = {};
let process = null;
let stages = [];
let tab = 'tree';
let tabSeen = null; // what the open tab was last loaded for
let gone = false;
let poller;

wireJump();
if (!UUID.test(id)) {
  root.removeAttribute('aria-busy');
  swap(root, missing('“' + id + '” is not a process id; ids are UUIDs like 0192f5c4-8a1e-7cc0-b2a4-3f9e2d1c0b7a.'));
} else {
  poller = live(refresh, REFRESH_MS);
}

async function refresh() {
  if (gone) return;
  let p;
  let t;
  try {
    [p, t] = await Promise.all([api('/api/v1/processes/' + id), api('/api/v1/processes/' + id + '/tasks')]);
  } catch (e) {
    if (e.status !== 404) throw e;
    gone = true;
    root.removeAttribute('aria-busy');
    swap(root, missing('There is no process ' + id + ' on this Ridley.'));
    return;
  }
  if (!process) {
    build(p);
    const def = await api('/api/v1/pipelines/' + encodeURIComponent(p.pipeline));
    stages = def.stages.map((s) => s.name);
  }
  const before = process;
  process = p;
  document.title = p.status + ' · ' + p.pipeline + ' process · Ridley';
  if (!before || before.status !== p.status) swap(parts.actions, actions(p));
  swap(parts.status, badge(p.status));
  swap(parts.facts, facts(p, t.tasks));
  if (!before || JSON.stringify([before.output, before.error]) !== JSON.stringify([p.output, p.error])) {
    swap(parts.output, jsonBlock(p.output, p.status === 'SUCCEEDED' ? 'No output.' : 'No output yet.'));
    swap(parts.error, p.error ? errorBlock(p.error) : h('p', { class: 'muted' }, 'No error.'));
  }
  swap(parts.timeline, timeline(p, t.tasks));
  swap(parts.attempts, attemptsTable(t.tasks));
  const now = JSON.stringify([tab, p.status, p.lastSeen, p.attempts, p.replays, t.tasks.map((x) => [x.status, x.heartbeatAt])]);
  if (now !== tabSeen) {
    tabSeen = now;
    await loadTab();
  }
}

/** The page's frame, built once; refresh fills its parts. */
function build(p) {
  root.removeAttribute('aria-busy');
  parts.status = h('span');
  parts.actions = h('div', { class: 'actions' });
  parts.facts = h('dl', { class: 'facts' });
  parts.output = h('div');
  parts.error = h('div');
  parts.timeline = h('div');
  parts.attempts = h('div');
  parts.panel = h('div', { id: 'tab-panel', role: 'tabpanel', tabindex: '0' });
  parts.tabs = h('div', { class: 'tabs', role: 'tablist', 'aria-label': 'How to show the story' });
  swap(
    root,
    h(
      'p',
      { class: 'muted' },
      h('a', { href: '/processes' }, 'Processes'),
      ' › ',
      h('a', { href: '/processes?pipeline=' + encodeURIComponent(p.pipeline) }, p.pipeline),
    ),
    h(
      'div',
      { class: 'card-head' },
      h('h1', {}, 'Process ', h('span', { class: 'mono', id: 'process-id' }, p.id)),
      parts.status,
      h('span', { class: 'spacer' }),
      parts.actions,
    ),
    h('p', { id: 'notice', class: 'notice', role: 'status', 'aria-live': 'polite', hidden: true }),
    h('section', { class: 'card', 'aria-label': 'Facts' }, parts.facts),
    h(
      'div',
      { class: 'row' },
      h('section', { class: 'card third', 'aria-labelledby': 'h-payload' }, h('h3', { id: 'h-payload' }, 'Payload'), jsonBlock(p.payload, 'No payload.')),
      h('section', { class: 'card third', 'aria-labelledby': 'h-output' }, h('h3', { id: 'h-output' }, 'Output'), parts.output),
      h('section', { class: 'card third', 'aria-labelledby': 'h-error' }, h('h3', { id: 'h-error' }, 'Error'), parts.error),
    ),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'h-timeline' },
      h('h2', { id: 'h-timeline' }, 'Timeline'),
      h('p', { class: 'muted' }, 'One bar per attempt: hatched while a retry waits, light while queued, coloured by how it ended.'),
      parts.timeline,
      h('details', {}, h('summary', {}, 'Attempts in detail'), parts.attempts),
    ),
    h('section', { class: 'card', 'aria-labelledby': 'h-story' }, h('h2', { id: 'h-story' }, 'What happened'), parts.tabs, parts.panel),
  );
  swap(parts.tabs, tabButtons());
}

function tabButtons() {
  return TABS.map(([key, label]) =>
    h(
      'button',
      {
        type: 'button',
        role: 'tab',
        id: 'tab-' + key,
        'aria-selected': String(tab === key),
        'aria-controls': 'tab-panel',
        dataset: { key: 'tab:' + key, tab: key },
        onclick: () => {
          tab = key;
          tabSeen = null;
          swap(parts.tabs, tabButtons());
          poller.now();
        },
      },
      label,
    ),
  );
}

async function loadTab() {
  parts.panel.setAttribute('aria-labelledby', 'tab-' + tab);
  const base = '/api/v1/processes/' + id;
  try {
    if (tab === 'tree') {
      swap(parts.panel, actionTree(await api(base + '/tree'), closedNodes));
    } else if (tab === 'text') {
      swap(parts.panel, h('pre', { class: 'text' }, await api(base + '/tree', { accept: 'text/plain' })));
    } else {
      swap(parts.panel, journal((await api(base + '/events')).events));
    }
  } catch (e) {
    swap(parts.panel, h('p', { class: 'notice notice-error' }, 'Could not load this view: ' + e.detail));
  }
}

function facts(p, tasks) {
  const fact = (term, ...value) => h('div', {}, h('dt', {}, term), h('dd', {}, value));
  const current = tasks.find((x) => x.id === p.currentTask);
  const end = p.finishedAt ? Date.parse(p.finishedAt) : Date.now();
  return [
    fact('pipeline', h('a', { href: '/processes?pipeline=' + encodeURIComponent(p.pipeline) }, p.pipeline)),
    fact('last seen', h('b', { id: 'last-seen-stage' }, p.lastSeen.stage), ' · ', ago(p.lastSeen.at), ' (', when(p.lastSeen.at), ')'),
    fact('now', current ? current.stage + ' #' + current.attempt + ' ' + current.status.toLowerCase() + (current.worker ? ' on ' + current.worker : '') : '—'),
    fact('customId', p.customId || '—'),
    fact('user', p.user || '—'),
    fact('created', when(p.createdAt)),
    fact(p.finishedAt ? 'finished' : 'deadline', p.finishedAt ? when(p.finishedAt) : when(p.deadlineAt)),
    fact(p.finishedAt ? 'took' : 'running for', duration(end - Date.parse(p.createdAt))),
    fact('attempts', String(p.attempts)),
    fact('replays', String(p.replays)),
    p.lostReason ? fact('lost because', h('b', {}, p.lostReason)) : null,
    p.park ? fact('parked', JSON.stringify(p.park)) : null,
  ];
}

function errorBlock(e) {
  return h(
    'div',
    { class: 'error-box' },
    h('b', {}, e.type),
    e.message ? h('p', {}, e.message) : null,
    e.stack ? h('details', {}, h('summary', {}, 'Stack trace'), h('pre', { class: 'text' }, e.stack)) : null,
  );
}

function actions(p) {
  const from = h(
    'select',
    { 'aria-label': 'Replay from stage', dataset: { key: 'replay-from' }, disabled: !REPLAYABLE.includes(p.status) },
    h('option', { value: '' }, 'where it stopped'),
    stages.map((s) => h('option', { value: s }, 'stage ' + s)),
  );
  return [
    h('label', { class: 'muted' }, 'from ', from),
    h(
      'button',
      {
        type: 'button',
        class: 'primary',
        disabled: !REPLAYABLE.includes(p.status),
        title: REPLAYABLE.includes(p.status) ? null : 'only FAILED, LOST or PARKED processes can be replayed',
        dataset: { action: 'replay', key: 'replay' },
        onclick: () => act('replay', from.value ? { fromStage: from.value } : {}),
      },
      'Replay',
    ),
    h(
      'button',
      {
        type: 'button',
        class: 'danger',
        disabled: !CANCELLABLE.includes(p.status),
        title: CANCELLABLE.includes(p.status) ? null : 'only RUNNING or PARKED processes can be cancelled',
        dataset: { action: 'cancel', key: 'cancel' },
        onclick: () => act('cancel', {}),
      },
      'Cancel',
    ),
    h('a', { href: '/api/v1/processes/' + p.id }, 'JSON'),
  ];
}

async function act(action, body) {
  try {
    const r = await api('/api/v1/processes/' + id + '/' + action, { method: 'POST', body });
    notify(
      action === 'replay'
        ? 'Replayed: the process is ' + r.process.status + ' again at stage ' + r.process.lastSeen.stage + '.'
        : 'Cancelled.',
    );
  } catch (e) {
    notify((action === 'replay' ? 'Replay' : 'Cancel') + ' refused: ' + e.detail, 'error');
  }
  await poller.now();
}

function journal(events) {
  if (!events.length) return h('p', { class: 'muted' }, 'The journal is empty.');
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { 'aria-label': 'Journal' },
      h('thead', {}, h('tr', {}, ['#', 'at', 'event', 'stage', 'attempt', 'data'].map((x) => h('th', { scope: 'col' }, x)))),
      h(
        'tbody',
        {},
        events.map((e) =>
          h(
            'tr',
            {},
            h('td', { class: 'num' }, String(e.seq)),
            h('td', {}, when(e.at)),
            h('td', {}, h('code', {}, e.type)),
            h('td', {}, e.stage || '—'),
            h('td', { class: 'num' }, e.attempt == null ? '—' : String(e.attempt)),
            h('td', { class: 'wrap mono' }, e.data && Object.keys(e.data).length ? JSON.stringify(e.data) : ''),
          ),
        ),
      ),
    ),
  );
}

function missing(text) {
  return h(
    'div',
    { class: 'empty' },
    h('h1', {}, 'Process not found'),
    h('p', {}, text),
    h('p', {}, 'Check the id, or ', h('a', { href: '/processes' }, 'search processes'), ' by customId, user or status.'),
  );
}
