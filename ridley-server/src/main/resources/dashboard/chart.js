// The overview's throughput chart: one stacked bar per minute, as inline SVG.
import { h, svg } from './ridley.js';

const WIDTH = 480;
const HEIGHT = 110;
const LEFT = 28;
const BOTTOM = 16;
const KINDS = [
  ['succeeded', 'succeeded'],
  ['failed', 'failed'],
  ['timedOut', 'timed out'],
];

/** A chart of `buckets` ([{at, succeeded, failed, timedOut}], oldest first) with its legend. */
export function throughputChart(pipeline, buckets) {
  const totals = buckets.map((b) => b.succeeded + b.failed + b.timedOut);
  const sum = totals.reduce((a, b) => a + b, 0);
  const max = Math.max(1, ...totals);
  const slot = (WIDTH - LEFT) / Math.max(1, buckets.length);
  const plotHeight = HEIGHT - BOTTOM - 4;
  const label =
    'Attempts finished per minute in ' + pipeline + ' over the last ' + buckets.length + ' minutes: ' + sum + ' in all.';
  const bars = buckets.map((b, i) => {
    const x = LEFT + i * slot + 1;
    let y = HEIGHT - BOTTOM;
    const parts = [];
    for (const [key] of KINDS) {
      const height = (b[key] / max) * plotHeight;
      if (height <= 0) continue;
      y -= height;
      parts.push(svg('rect', { class: key, x: x.toFixed(1), y: y.toFixed(1), width: Math.max(1, slot - 2).toFixed(1), height: height.toFixed(1) }));
    }
    const minute = new Date(b.at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
    const tip = minute + ': ' + b.succeeded + ' succeeded, ' + b.failed + ' failed, ' + b.timedOut + ' timed out';
    // A transparent full-height target so every minute has a tooltip, even an empty one.
    parts.push(svg('rect', { x: x.toFixed(1), y: 0, width: slot.toFixed(1), height: HEIGHT - BOTTOM, fill: 'transparent' }, svg('title', {}, tip)));
    return svg('g', {}, parts);
  });
  const chart = svg(
    'svg',
    { class: 'chart', viewBox: '0 0 ' + WIDTH + ' ' + HEIGHT, role: 'img', 'aria-label': label },
    svg('line', { class: 'axis', x1: LEFT, y1: HEIGHT - BOTTOM + 0.5, x2: WIDTH, y2: HEIGHT - BOTTOM + 0.5 }),
    svg('text', { x: 0, y: 10 }, String(max)),
    svg('text', { x: 0, y: HEIGHT - BOTTOM }, '0'),
    svg('text', { x: LEFT, y: HEIGHT - 3 }, '−' + buckets.length + ' min'),
    svg('text', { x: WIDTH, y: HEIGHT - 3, 'text-anchor': 'end' }, 'now'),
    bars,
  );
  const last = totals.length ? totals[totals.length - 1] : 0;
  return h(
    'figure',
    { class: 'grow', 'aria-label': 'Throughput' },
    h('h3', {}, 'Throughput · attempts finished per minute'),
    chart,
    h(
      'figcaption',
      { class: 'legend' },
      KINDS.map(([key, name]) => h('span', {}, h('i', { class: key }), name)),
      h('span', {}, sum + ' in ' + buckets.length + ' min · ' + last + ' this minute'),
    ),
  );
}
