// The pipelines overview ("/"): per-stage counts, throughput, oldest queued, workers, pause/resume.
import { api, h, swap, live, notify, duration, badge, startCurl, wireJump, showAttention, me } from './ridley.js';
import { throughputChart } from './chart.js';

const REFRESH_MS = 1500;
const COUNTS = ['queued', 'running', 'succeeded', 'failed', 'parked', 'lost', 'cancelled'];
const LISTED = { failed: 'FAILED', parked: 'PARKED', lost: 'LOST', cancelled: 'CANCELLED', succeeded: 'SUCCEEDED' };

const root = document.getElementById('pipelines');
const cards = new Map(); // pipeline name -> {parts, last signatures}
let poller;

wireJump();
poller = live(refresh, REFRESH_MS);

async function refresh() {
  // Throughput counts everyone's work: a caller who sees only its own processes is not shown it.
  const who = await me();
  const seesAll = who.roles.includes('operator') || who.roles.includes('admin');
  const [pipelines, throughput] = await Promise.all([
    api('/api/v1/pipelines'),
    seesAll ? api('/api/v1/throughput?minutes=15') : Promise.resolve({ pipelines: [] }),
  ]);
  root.removeAttribute('aria-busy');
  showAttention(pipelines.items);
  if (!pipelines.items.length) {
    cards.clear();
    swap(
      root,
      h(
        'div',
        { class: 'empty' },
        h('p', {}, 'No pipelines are loaded.'),
        h('p', {}, 'Put pipeline YAML files (see pipelines/divide.yaml) in the folder named by RIDLEY_PIPELINES, then restart the server.'),
      ),
    );
    return;
  }
  const names = pipelines.items.map((p) => p.name);
  if ([...cards.keys()].join('\n') !== names.join('\n')) {
    cards.clear();
    swap(root, pipelines.items.map((p) => card(p).section));
  }
  for (const p of pipelines.items) {
    const rates = throughput.pipelines.find((t) => t.name === p.name);
    update(cards.get(p.name), p, rates ? rates.buckets : []);
  }
}

/** Builds a pipeline's card once; `update` refreshes its live parts in place. */
function card(p) {
  const id = 'pipeline-' + p.name;
  const parts = {
    state: h('span'),
    pause: h('span'),
    chart: h('div', { class: 'grow' }),
    summary: h('div', { class: 'summary' }),
    hint: h('div'),
    stages: h('div', { class: 'table-wrap' }),
    seen: {},
  };
  parts.section = h(
    'section',
    { class: 'card', id, 'aria-labelledby': id + '-name', dataset: { pipeline: p.name } },
    h(
      'div',
      { class: 'card-head' },
      h('h2', { id: id + '-name' }, p.name),
      parts.state,
      h('span', { class: 'spacer' }),
      h('a', { href: '/processes?pipeline=' + encodeURIComponent(p.name) }, 'All processes'),
      parts.pause,
    ),
    h('div', { class: 'row' }, parts.chart, parts.summary),
    parts.hint,
    parts.stages,
    startForm(p),
    definition(p),
  );
  cards.set(p.name, parts);
  return parts;
}

function update(parts, p, buckets) {
  // The API calls a pipeline paused when all its stages are; some paused stages show too.
  const pausedStages = p.stages.filter((s) => s.paused).length;
  changed(parts, 'state', [p.paused, pausedStages], () =>
    swap(
      parts.state,
      p.paused ? badge('PAUSED') : pausedStages ? h('span', { class: 'badge badge-paused' }, pausedStages + ' of ' + p.stages.length + ' stages paused') : null,
    ),
  );
  // With any stage paused the pipeline's button resumes them all.
  changed(parts, 'pause', pausedStages > 0, () => swap(parts.pause, pauseButton(p, null, pausedStages > 0)));
  changed(parts, 'chart', buckets, () => swap(parts.chart, throughputChart(p.name, buckets)));
  changed(parts, 'summary', p.stages.map((s) => s.counts), () => swap(parts.summary, summary(p)));
  changed(parts, 'hint', [p.stages.map((s) => s.counts), p.stages[0].workers], () => swap(parts.hint, hint(p)));
  changed(parts, 'stages', p.stages, () => swap(parts.stages, stageTable(p)));
}

/** Runs `render` only when `value` differs from last time: no flicker, no lost focus. */
function changed(parts, key, value, render) {
  const sig = JSON.stringify(value === undefined ? null : value);
  if (parts.seen[key] === sig) return;
  parts.seen[key] = sig;
  render();
}

function totals(p) {
  const t = Object.fromEntries(COUNTS.map((c) => [c, 0]));
  for (const s of p.stages) for (const c of COUNTS) t[c] += (s.counts && s.counts[c]) || 0;
  return t;
}

function summary(p) {
  const t = totals(p);
  const cell = (n, name, status) =>
    h('div', {}, h('b', {}, status && n ? h('a', { href: listUrl(p.name, null, status) }, String(n)) : String(n)), h('span', {}, name));
  return [
    cell(t.queued + t.running, 'in flight'),
    cell(t.succeeded, 'succeeded', 'SUCCEEDED'),
    cell(t.failed, 'failed', 'FAILED'),
    cell(t.parked, 'parked', 'PARKED'),
    cell(t.lost, 'lost', 'LOST'),
    cell(t.cancelled, 'cancelled', 'CANCELLED'),
  ];
}

/** Empty states: how to start the first process, and a warning when no worker takes the work. */
function hint(p) {
  const t = totals(p);
  const first = p.stages[0];
  const out = [];
  if (COUNTS.every((c) => t[c] === 0)) {
    out.push(
      h(
        'div',
        { class: 'empty' },
        h('p', {}, 'No processes in ', h('b', {}, p.name), ' yet. Start one with “Start a process” below, or from a terminal:'),
        h('pre', {}, startCurl(p.name)),
      ),
    );
  }
  if (Array.isArray(first.workers) && first.workers.length === 0 && t.queued > 0) {
    out.push(
      h(
        'p',
        { class: 'notice notice-warn' },
        'No worker is polling stage “' + first.name + '”: its tasks wait in the queue. ' +
          'Start a worker for it (./ridley demo runs the example workers).',
      ),
    );
  }
  return out;
}

function stageTable(p) {
  const head = h(
    'tr',
    {},
    h('th', { scope: 'col' }, 'Stage'),
    COUNTS.map((c) => h('th', { scope: 'col', class: 'num' }, c)),
    h('th', { scope: 'col', class: 'num' }, 'oldest queued'),
    h('th', { scope: 'col', class: 'num' }, 'workers'),
    h('th', { scope: 'col' }, 'state'),
  );
  const rows = p.stages.map((s) =>
    h(
      'tr',
      { dataset: { stage: s.name } },
      h('th', { scope: 'row' }, s.name),
      COUNTS.map((c) => h('td', { class: 'num', dataset: { count: c } }, count(p.name, s.name, c, s.counts ? s.counts[c] : 0))),
      h('td', { class: 'num', dataset: { col: 'oldest' } }, oldest(s.oldestQueuedMs)),
      h('td', { class: 'num', dataset: { col: 'workers' } }, workers(s)),
      h('td', {}, s.paused ? badge('PAUSED') : h('span', { class: 'muted' }, 'active'), ' ', pauseButton(p, s.name, s.paused)),
    ),
  );
  return h('table', { 'aria-label': 'Stages of ' + p.name }, h('thead', {}, head), h('tbody', {}, rows));
}

function count(pipeline, stage, kind, n) {
  if (!n) return h('span', { class: 'zero' }, '0');
  const status = LISTED[kind];
  if (!status) return String(n);
  return h('a', { class: 'count', href: listUrl(pipeline, stage, status), 'aria-label': n + ' ' + kind + ' at ' + stage }, String(n));
}

function listUrl(pipeline, stage, status) {
  const q = new URLSearchParams({ pipeline, status });
  if (stage) q.set('stage', stage);
  return '/processes?' + q;
}

function oldest(ms) {
  if (ms === null || ms === undefined) return h('span', { class: 'zero' }, '—');
  return h('span', { class: ms > 60000 ? 'warn' : '' }, duration(ms));
}

function workers(s) {
  if (!Array.isArray(s.workers)) return h('span', { class: 'zero', title: 'this server does not report workers' }, '—');
  const title = s.workers.map((w) => w.id + ' (last poll ' + new Date(w.lastPollAt).toLocaleTimeString() + ')').join('\n');
  if (!s.workers.length) {
    const queued = s.counts && s.counts.queued;
    return h('span', { class: queued ? 'warn' : 'zero', title: 'no worker polled this stage in the last 30 s' }, '0');
  }
  return h('span', { title }, String(s.workers.length));
}

/** Pause or resume a whole pipeline (stage null) or one stage. */
function pauseButton(p, stage, paused) {
  const what = stage ? 'stage ' + stage : 'pipeline ' + p.name;
  const verb = paused ? 'Resume' : 'Pause';
  return h(
    'button',
    {
      type: 'button',
      dataset: { key: 'pause:' + p.name + ':' + (stage || ''), action: paused ? 'resume' : 'pause' },
      'aria-label': verb + ' ' + what,
      onclick: async (e) => {
        // Not `disabled`: a disabled button drops keyboard focus; live updates replace it anyway.
        const button = e.currentTarget;
        if (button.getAttribute('aria-busy')) return;
        button.setAttribute('aria-busy', 'true');
        try {
          const body = stage ? { stage } : {};
          await api('/api/v1/pipelines/' + encodeURIComponent(p.name) + '/' + verb.toLowerCase(), { method: 'POST', body });
          notify(
            paused
              ? 'Resumed ' + what + '.'
              : 'Paused ' + what + ': workers get no new tasks from it until you resume it; running attempts finish.',
          );
        } catch (err) {
          notify(verb + ' ' + what + ' failed: ' + err.detail, 'error');
        }
        await poller.now();
      },
    },
    stage ? verb : verb + ' pipeline',
  );
}

function startForm(p) {
  const payload = h('textarea', { name: 'payload', rows: 3, 'aria-label': 'Payload (JSON)' }, p.name === 'divide' ? '{"x": 1, "y": 2}' : '{}');
  const customId = h('input', { name: 'customId', 'aria-label': 'customId (optional)', placeholder: 'optional' });
  const user = h('input', { name: 'user', 'aria-label': 'user (optional)', placeholder: 'optional' });
  const form = h(
    'form',
    {
      class: 'filters',
      onsubmit: async (e) => {
        e.preventDefault();
        let body;
        try {
          body = { payload: JSON.parse(payload.value) };
        } catch (err) {
          notify('The payload is not valid JSON: ' + err.message, 'error');
          payload.focus();
          return;
        }
        if (customId.value.trim()) body.customId = customId.value.trim();
        if (user.value.trim()) body.user = user.value.trim();
        try {
          const r = await api('/api/v1/pipelines/' + encodeURIComponent(p.name) + '/processes', { method: 'POST', body });
          const id = r.process.id;
          notify(h('span', {}, r.result === 'CREATED' ? 'Started ' : 'Already exists: ', h('a', { href: '/processes/' + id }, 'process ' + id), '.'));
          await poller.now();
        } catch (err) {
          notify('Start failed: ' + err.detail, 'error');
        }
      },
    },
    h('label', { class: 'field grow' }, 'payload (JSON)', payload),
    h('label', { class: 'field' }, 'customId', customId),
    h('label', { class: 'field' }, 'user', user),
    h('button', { type: 'submit', class: 'primary', dataset: { action: 'start' } }, 'Start'),
  );
  return h('details', { class: 'start-process' }, h('summary', {}, 'Start a process'), form);
}

function definition(p) {
  const stageRows = p.stages.map((s) =>
    h(
      'tr',
      {},
      h('th', { scope: 'row' }, s.name),
      h('td', {}, Object.entries(s.timeouts || {}).filter(([, v]) => v).map(([k, v]) => k + ' ' + v).join(', ') || '—'),
      h('td', {}, s.retry ? s.retry.attempts + ' attempts, backoff ' + s.retry.backoff : '—'),
      h('td', { class: 'num' }, String(s.maxInFlight ?? '—')),
    ),
  );
  return h(
    'details',
    {},
    h('summary', {}, 'Definition: routes, timeouts, retries'),
    h('p', { class: 'muted' }, 'Process timeout ', p.timeout, '; processes start at stage ', h('b', {}, p.firstStage), '.'),
    h('ul', { class: 'routes mono' }, p.routes.map((r) => h('li', {}, r))),
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        {},
        h('thead', {}, h('tr', {}, ['stage', 'timeouts', 'retry', 'maxInFlight'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, stageRows),
      ),
    ),
    p.source ? h('p', { class: 'muted' }, 'Loaded from ', h('code', {}, p.source)) : null,
  );
}
