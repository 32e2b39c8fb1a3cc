// A process's timeline: one bar per attempt on a shared time axis, coloured by how it ended.
import { h, duration, when, badge } from './ridley.js';

const ENDED = { SUCCEEDED: 'succeeded', FAILED: 'failed', TIMED_OUT: 'timed_out', CANCELLED: 'cancelled' };

/**
 * Bars run from enqueue to end: hatched while a retry backs off, light while queued, solid while
 * a worker has it; the solid part takes the colour of the attempt's end. Running bars grow.
 */
export function timeline(process, tasks) {
  if (!tasks.length) return h('p', { class: 'muted' }, 'No attempts yet.');
  const now = Date.now();
  const t = (iso) => (iso ? Date.parse(iso) : null);
  const start = Math.min(t(process.createdAt), ...tasks.map((x) => t(x.enqueuedAt)));
  const ends = tasks.map((x) => t(x.finishedAt) || now);
  const open = tasks.some((x) => !x.finishedAt) || !process.finishedAt;
  const end = Math.max(open ? now : t(process.finishedAt), ...ends);
  const span = Math.max(1, end - start);
  const pos = (ms) => ((ms - start) / span) * 100;

  const rows = tasks.flatMap((task) => {
    const enq = t(task.enqueuedAt);
    const visible = Math.max(enq, t(task.visibleAt) || enq);
    const polled = t(task.polledAt);
    const finished = t(task.finishedAt);
    const stop = finished || now;
    const ended = ENDED[task.status];
    const segs = [];
    if (visible > enq) segs.push(seg('seg-backoff', enq, visible, 'waiting out the retry backoff'));
    if (polled) {
      segs.push(seg('seg-queued', visible, polled, 'queued until a worker took it'));
      segs.push(seg(ended ? 'seg-' + ended : 'seg-running' + (finished ? '' : ' now'), polled, stop, ended ? 'ran, then ' + task.status : 'running on ' + task.worker));
    } else {
      // Never taken by a worker: the queued stretch itself ends in the attempt's colour.
      segs.push(seg(ended ? 'seg-' + ended : 'seg-queued', visible, stop, ended ? 'queued, then ' + task.status : 'queued'));
    }
    const label = task.stage + ' #' + task.attempt;
    const title = [
      label + ' · ' + task.status + (task.outcome ? ' (' + task.outcome + ')' : ''),
      'enqueued ' + task.enqueuedAt,
      task.polledAt ? 'taken ' + task.polledAt + (task.worker ? ' by ' + task.worker : '') : 'never taken by a worker',
      task.finishedAt ? 'finished ' + task.finishedAt : 'not finished',
    ].join('\n');
    return [
      h('div', { class: 'label' }, h('b', {}, task.stage), ' #' + task.attempt),
      h('div', { class: 'lane', role: 'img', 'aria-label': title, title, dataset: { task: task.id, status: task.status } }, segs),
      h('div', { class: 'result', title: resultText(task) }, badge(task.status), ' ', resultText(task)),
    ];
  });

  function seg(classes, from, to, what) {
    const el = h('span', { class: 'seg ' + classes });
    el.style.left = pos(from).toFixed(3) + '%';
    el.style.width = Math.max(0, pos(to) - pos(from)).toFixed(3) + '%';
    el.title = what + ' · ' + duration(to - from);
    return el;
  }

  return [
    h('div', { class: 'timeline', role: 'group', 'aria-label': 'Attempts over time' }, rows),
    h('div', { class: 'axis-row' }, h('span', {}, when(new Date(start).toISOString())), h('span', {}, '+' + duration(span))),
    h(
      'div',
      { class: 'legend' },
      [['succeeded', 'succeeded'], ['failed', 'failed'], ['timed_out', 'timed out'], ['running', 'running'], ['queued', 'queued'], ['cancelled', 'cancelled']].map(
        ([k, name]) => h('span', {}, h('i', { class: 'swatch-' + k }), name),
      ),
    ),
  ];
}

function resultText(task) {
  const ran = task.polledAt ? duration((task.finishedAt ? Date.parse(task.finishedAt) : Date.now()) - Date.parse(task.polledAt)) : null;
  const parts = [];
  if (task.outcome) parts.push(task.outcome);
  if (task.error) parts.push(task.error.type + (task.error.message ? ': ' + task.error.message : ''));
  if (ran) parts.push(ran);
  return parts.join(' · ');
}

/** Every attempt with its times, worker, outcome and error, as a table. */
export function attemptsTable(tasks) {
  const head = ['stage', 'attempt', 'status', 'outcome', 'worker', 'enqueued', 'taken', 'last heartbeat', 'finished', 'error'];
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { 'aria-label': 'Attempts' },
      h('thead', {}, h('tr', {}, head.map((x) => h('th', { scope: 'col' }, x)))),
      h(
        'tbody',
        {},
        tasks.map((x) =>
          h(
            'tr',
            { dataset: { task: x.id } },
            h('td', {}, x.stage),
            h('td', { class: 'num' }, String(x.attempt)),
            h('td', {}, badge(x.status)),
            h('td', {}, x.outcome || '—'),
            h('td', {}, x.worker || '—'),
            h('td', {}, when(x.enqueuedAt)),
            h('td', {}, when(x.polledAt)),
            h('td', {}, when(x.heartbeatAt)),
            h('td', {}, when(x.finishedAt)),
            h('td', { class: 'wrap' }, x.error ? x.error.type + (x.error.message ? ': ' + x.error.message : '') : '—'),
          ),
        ),
      ),
    ),
  );
}
