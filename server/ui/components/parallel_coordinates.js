// Parallel coordinates in SVG: one vertical axis per chosen param or metric, one polyline per run through its values
// (numeric axes linear, others as categories). Hovering or focusing a line highlights its run and names it.
//
//   renderParallelCoordinates({ axes: [{ label, values: Map(runId -> value) }], runs: [{ id, label, color }] })

import { h, svg } from '../lib/dom.js';
import { valueAxis } from './chart_scale.js';

const HEIGHT = 340;
const MARGIN = { left: 60, right: 60, top: 28, bottom: 20 };
const AXIS_GAP = 150;

function axisGroup(axis, x, scale) {
  const yAt = (at) => HEIGHT - MARGIN.bottom - at * (HEIGHT - MARGIN.top - MARGIN.bottom);
  return svg('g', { class: 'pc-axis' },
    svg('line', { class: 'axis-line', x1: x, x2: x, y1: MARGIN.top, y2: HEIGHT - MARGIN.bottom }),
    svg('text', { class: 'axis-title', x, y: MARGIN.top - 12, 'text-anchor': 'middle' },
      axis.label.length > 22 ? `${axis.label.slice(0, 21)}…` : axis.label),
    ...scale.ticks.map(({ text, at }) => svg('g', {},
      svg('line', { class: 'axis-line', x1: x - 3, x2: x, y1: yAt(at), y2: yAt(at) }),
      svg('text', { x: x - 5, y: yAt(at) + 4, 'text-anchor': 'end' }, text))));
}

export function renderParallelCoordinates({ axes, runs }) {
  const width = MARGIN.left + MARGIN.right + Math.max(1, axes.length - 1) * AXIS_GAP;
  const xs = axes.map((axis, index) => MARGIN.left + index * AXIS_GAP);
  const scales = axes.map((axis) => valueAxis(runs.map((run) => axis.values.get(run.id))));
  const yAt = (at) => HEIGHT - MARGIN.bottom - at * (HEIGHT - MARGIN.top - MARGIN.bottom);
  const hover = h('p', { class: 'plot-hover muted', 'aria-live': 'polite' }, 'Hover a line to see its run.');
  const plot = svg('svg', { class: 'plot-svg parallel-coordinates', viewBox: `0 0 ${width} ${HEIGHT}`,
    style: `max-width: ${width}px`, role: 'group',
    'aria-label': `Parallel coordinates of ${axes.map((axis) => axis.label).join(', ')} for ${runs.length} runs` });
  const lines = runs.map((run) => {
    const values = axes.map((axis) => axis.values.get(run.id));
    const corners = axes.map((axis, index) => [xs[index], scales[index].position(values[index])])
      .filter(([, at]) => at !== null).map(([x, at]) => `${x},${yAt(at)}`);
    const text = `${run.label}: ${axes.map((axis, index) => `${axis.label} = ${values[index] ?? '—'}`).join(', ')}`;
    const line = svg('polyline', { class: 'pc-line', points: corners.join(' '), stroke: run.color, tabindex: '0',
      role: 'img', 'aria-label': text, 'data-run-id': run.id }, svg('title', {}, text));
    const highlight = (on) => {
      plot.classList.toggle('highlighting', on);
      line.classList.toggle('highlighted', on);
      if (on) hover.textContent = text;
    };
    ['mouseenter', 'focus'].forEach((name) => line.addEventListener(name, () => highlight(true)));
    ['mouseleave', 'blur'].forEach((name) => line.addEventListener(name, () => highlight(false)));
    return line;
  });
  plot.append(...axes.map((axis, index) => axisGroup(axis, xs[index], scales[index])), ...lines);
  return h('figure', { class: 'plot-figure' }, h('div', { class: 'table-scroll' }, plot), hover);
}
