// The action tree (Eliot's model), rendered generically: every action or message with its fields.
import { h, duration } from './ridley.js';

// Shown in a node's title line, or folded into its fields, rather than listed as they are.
// Both spellings are read: Eliot's own (action_type) and the API's (actionType).
const HEAD = new Set([
  'children', 'kind', 'complete', 'task_uuid', 'taskUuid',
  'action_type', 'actionType', 'message_type', 'messageType', 'action_status', 'status',
  'task_level', 'level', 'timestamp', 'startedAt', 'endedAt', 'at', 'durationMs', 'fields', 'endFields',
]);
const STATUS = { started: 'running', succeeded: 'succeeded', failed: 'failed' };

/**
 * Renders `{taskUuid, root: {...}}` as nested lists. Nodes the reader closed stay closed across
 * live refreshes: `closed` holds their task levels.
 */
export function actionTree(data, closed) {
  const root = data && data.root ? data.root : data;
  if (!root || typeof root !== 'object') return h('p', { class: 'muted' }, 'The tree is empty.');
  const uuid = data.taskUuid || data.task_uuid || 'the process';
  return h('ul', { class: 'tree', 'aria-label': 'Action tree of ' + uuid }, node(root, closed, 'root'));
}

function node(n, closed, fallbackKey) {
  const kids = Array.isArray(n.children) ? n.children : [];
  const level = n.task_level ?? n.level;
  const key = Array.isArray(level) ? '/' + level.join('/') : level ? String(level) : fallbackKey;
  const fields = [
    ...Object.entries(n.fields && typeof n.fields === 'object' ? n.fields : {}),
    ...Object.entries(n.endFields && typeof n.endFields === 'object' ? n.endFields : {}),
    ...Object.entries(n).filter(([k]) => !HEAD.has(k)),
  ];
  const status = n.action_status ?? n.status;
  const took = typeof n.durationMs === 'number' ? duration(n.durationMs) : null;
  const head = [
    h('span', { class: 'node-title' }, n.action_type || n.actionType || n.message_type || n.messageType || '(entry)'),
    status ? [' ', h('span', { class: 'badge badge-' + (STATUS[status] || 'cancelled') }, status)] : null,
    ' ',
    h('span', { class: 'level' }, key === 'root' ? '' : key),
    ' ',
    h('span', { class: 'muted' }, stamp(n.timestamp ?? n.startedAt ?? n.at), took ? ' · ' + took : ''),
  ];
  if (!kids.length && !fields.length) return h('li', {}, head);
  const details = h(
    'details',
    { open: !closed.has(key) },
    h('summary', {}, head),
    fieldList(fields),
    kids.length ? h('ul', {}, kids.map((c, i) => node(c, closed, key + '.' + i))) : null,
  );
  details.addEventListener('toggle', () => (details.open ? closed.delete(key) : closed.add(key)));
  return h('li', {}, details);
}

// Short plain values read best on one line; objects and long text get a row each.
function fieldList(fields) {
  if (!fields.length) return null;
  const short = ([, v]) => v === null || (typeof v !== 'object' && String(v).length <= 60);
  const inline = fields.filter(short);
  const rows = fields.filter((f) => !short(f));
  return [
    inline.length
      ? h('p', { class: 'fields' }, inline.map(([k, v]) => h('span', { class: k === 'exception' || k === 'reason' ? 'kv bad' : 'kv' }, h('span', { class: 'k' }, k), ' ', show(v))))
      : null,
    rows.length ? h('dl', {}, rows.map(([k, v]) => [h('dt', {}, k), h('dd', {}, show(v))])) : null,
  ];
}

/** Eliot timestamps are seconds since the epoch; ISO strings pass through. */
function stamp(ts) {
  if (ts === null || ts === undefined) return '';
  const d = typeof ts === 'number' ? new Date(ts * 1000) : new Date(ts);
  if (Number.isNaN(d.getTime())) return String(ts);
  return d.toLocaleTimeString([], { hour12: false }) + '.' + String(d.getMilliseconds()).padStart(3, '0');
}

function show(v) {
  if (v === null) return 'null';
  if (typeof v === 'object') return JSON.stringify(v, null, 2);
  return String(v);
}
