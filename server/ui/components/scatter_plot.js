// A scatter plot in SVG of one param or metric (x) against another (y): one dot per run that has both values;
// numeric values on linear axes, anything else as categories. Hovering or focusing a dot names the run.
//
//   renderScatterPlot({ xLabel, yLabel, points: [{ id, label, color, href, x, y }] }) -> element

import { h, svg } from '../lib/dom.js';
import { valueAxis } from './chart_scale.js';

const WIDTH = 560;
const HEIGHT = 360;
const MARGIN = { left: 70, right: 20, top: 14, bottom: 48 };

function axisLines(xAxis, yAxis, xLabel, yLabel) {
  const left = MARGIN.left;
  const right = WIDTH - MARGIN.right;
  const top = MARGIN.top;
  const bottom = HEIGHT - MARGIN.bottom;
  const xAt = (at) => left + at * (right - left);
  const yAt = (at) => bottom - at * (bottom - top);
  return [
    ...xAxis.ticks.map(({ text, at }) => svg('g', {},
      svg('line', { class: 'grid-line', x1: xAt(at), x2: xAt(at), y1: top, y2: bottom }),
      svg('text', { x: xAt(at), y: bottom + 14, 'text-anchor': 'middle' }, text))),
    ...yAxis.ticks.map(({ text, at }) => svg('g', {},
      svg('line', { class: 'grid-line', x1: left, x2: right, y1: yAt(at), y2: yAt(at) }),
      svg('text', { x: left - 6, y: yAt(at) + 4, 'text-anchor': 'end' }, text))),
    svg('rect', { class: 'axis-line', x: left, y: top, width: right - left, height: bottom - top, fill: 'none' }),
    svg('text', { class: 'axis-title', x: (left + right) / 2, y: HEIGHT - 8, 'text-anchor': 'middle' }, xLabel),
    svg('text', { class: 'axis-title', x: 14, y: (top + bottom) / 2, 'text-anchor': 'middle',
      transform: `rotate(-90 14 ${(top + bottom) / 2})` }, yLabel),
  ];
}

export function renderScatterPlot({ xLabel, yLabel, points }) {
  const usable = points.filter((point) => point.x !== undefined && point.y !== undefined);
  const xAxis = valueAxis(usable.map((point) => point.x));
  const yAxis = valueAxis(usable.map((point) => point.y));
  const hover = h('p', { class: 'plot-hover muted', 'aria-live': 'polite' },
    usable.length ? 'Hover a dot to see its run.' : 'No run has both values.');
  // Runs at the same place would hide each other: spread them a little around the spot.
  const seen = new Map();
  const dots = usable.map((point) => {
    const spot = `${xAxis.position(point.x)},${yAxis.position(point.y)}`;
    const repeat = seen.get(spot) || 0;
    seen.set(spot, repeat + 1);
    const cx = MARGIN.left + xAxis.position(point.x) * (WIDTH - MARGIN.left - MARGIN.right) + repeat * 5;
    const cy = HEIGHT - MARGIN.bottom - yAxis.position(point.y) * (HEIGHT - MARGIN.top - MARGIN.bottom) - repeat * 5;
    const text = `${point.label}: ${xLabel} = ${point.x}, ${yLabel} = ${point.y}`;
    const show = () => { hover.textContent = text; };
    return svg('circle', { class: 'scatter-point', cx, cy, r: 6, fill: point.color, tabindex: '0', role: 'img',
      'aria-label': text, 'data-run-id': point.id, onmouseenter: show, onfocus: show },
    svg('title', {}, text));
  });
  const plot = svg('svg', { class: 'plot-svg scatter-plot', viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: 'group',
    'aria-label': `Scatter plot of ${yLabel} against ${xLabel}, ${dots.length} runs` },
  ...axisLines(xAxis, yAxis, xLabel, yLabel), ...dots);
  return h('figure', { class: 'plot-figure' }, plot, hover);
}
