// A line chart on canvas: several series (runs x metric keys) against step, wall time or time since the run
// started; linear or log y; exponential smoothing with the raw line faint behind; drag a box to zoom into an x
// range, shift-drag (or drag when zoomed) to pan, wheel to zoom, double-click to reset; hover shows the nearest point
// of every series. A legend hides series; a visually hidden table gives screen readers the last value of each.
//
//   const chart = new LineChart({ label: 'loss', onViewChange: ({ stepRange }) => ..., onLegendChange: (ids) => ... });
//   container.append(chart.element);
//   chart.setSeries([{ id, label, color, startTime, points: [{ step, value, timestamp }] }]);
//   chart.setOptions({ xAxis: 'step' | 'wall' | 'relative', logY: false, smoothing: 0.6, hidden: ['id'] });
//   chart.destroy();

import { h } from '../lib/dom.js';
import { formatElapsed, formatTick, formatWallTick, logTicks, makeScale, niceTicks, smooth, timeTicks }
  from './chart_scale.js';

const MARGIN = { left: 64, right: 16, top: 12, bottom: 34 };
const VIEW_CHANGE_DELAY_MS = 200;
const X_AXIS_NAMES = { step: 'Step', wall: 'Time', relative: 'Relative time (h:m:s)' };

// Metric values arrive as numbers or as the strings "NaN", "Infinity", "-Infinity".
function finiteValue(value) {
  const number = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(number) ? number : null;
}

// The index of the first element of sorted `items` whose x is >= x.
function lowerBound(items, x) {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (items[middle].x < x) low = middle + 1;
    else high = middle;
  }
  return low;
}

// The index of the first element of sorted `items` whose x is > x.
function upperBound(items, x) {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (items[middle].x <= x) low = middle + 1;
    else high = middle;
  }
  return low;
}

function formatStamp(milliseconds) {
  const date = new Date(milliseconds);
  return Number.isFinite(date.getTime()) ? date.toLocaleString() : '';
}

function formatValue(value) {
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(6)));
}

export class LineChart {
  constructor({ label = 'Metric chart', onViewChange, onLegendChange } = {}) {
    this.label_ = label;
    this.onViewChange_ = onViewChange;
    this.onLegendChange_ = onLegendChange;
    this.series_ = [];
    this.options_ = { xAxis: 'step', logY: false, smoothing: 0 };
    this.hidden_ = new Set();
    this.view_ = null; // [xMin, xMax] while zoomed, null for the full extent
    this.drag_ = null;
    this.hoverX_ = null;
    this.viewTimer_ = null;
    this.size_ = { width: 0, height: 0 };
    this.build_();
  }

  build_() {
    this.canvas_ = h('canvas', { class: 'chart-canvas', role: 'img', tabindex: '0' });
    this.selection_ = h('div', { class: 'chart-selection', hidden: true });
    this.tooltip_ = h('div', { class: 'chart-tooltip', hidden: true, role: 'status' });
    this.box_ = h('div', { class: 'chart-canvas-box' }, this.canvas_, this.selection_, this.tooltip_);
    this.legend_ = h('div', { class: 'chart-legend', role: 'group', 'aria-label': 'Series (click to hide or show)' });
    this.summary_ = h('table', { class: 'sr-only' });
    // The hidden box wraps the table because a table grows to fit its cells whatever width it is given.
    const summaryBox = h('div', { class: 'sr-only' }, this.summary_);
    this.element = h('figure', { class: 'line-chart' }, this.box_, this.legend_, summaryBox);
    this.listen_();
    this.resizeObserver_ = new ResizeObserver(() => this.resize_());
    this.resizeObserver_.observe(this.box_);
  }

  listen_() {
    const canvas = this.canvas_;
    canvas.addEventListener('pointerdown', (event) => this.pointerDown_(event));
    canvas.addEventListener('pointermove', (event) => this.pointerMove_(event));
    canvas.addEventListener('pointerup', (event) => this.pointerUp_(event));
    canvas.addEventListener('pointerleave', () => this.hover_(null));
    canvas.addEventListener('dblclick', () => this.resetZoom());
    canvas.addEventListener('wheel', (event) => this.wheel_(event), { passive: false });
    canvas.addEventListener('keydown', (event) => this.key_(event));
  }

  destroy() {
    this.resizeObserver_.disconnect();
    clearTimeout(this.viewTimer_);
  }

  // The plot area's width in CSS pixels: how many points are worth fetching.
  plotWidth() {
    const width = this.box_.clientWidth || 800;
    return Math.max(50, Math.round(width - MARGIN.left - MARGIN.right));
  }

  setSeries(series) {
    this.series_ = series.map((item) => ({ ...item, points: [...item.points].sort((a, b) => a.step - b.step) }));
    this.prepare_();
    this.renderLegend_();
    this.renderSummary_();
    this.draw_();
  }

  setOptions(options) {
    const axisChanged = options.xAxis !== undefined && options.xAxis !== this.options_.xAxis;
    const logChanged = options.logY !== undefined && options.logY !== this.options_.logY;
    Object.assign(this.options_, options);
    if (options.hidden) this.hidden_ = new Set(options.hidden);
    if (axisChanged) this.view_ = null;
    if (axisChanged || logChanged) this.prepare_();
    this.renderLegend_();
    this.draw_();
    if (axisChanged) this.viewChanged_();
  }

  setLabel(label) {
    this.label_ = label;
    this.renderSummary_();
    this.draw_();
  }

  isZoomed() {
    return this.view_ !== null;
  }

  resetZoom() {
    if (!this.view_) return;
    this.view_ = null;
    this.draw_();
    this.viewChanged_();
  }

  // Points as {x, y, step, timestamp} in the current x mode, finite (and positive on a log axis), sorted by x.
  prepare_() {
    const { xAxis, logY } = this.options_;
    for (const series of this.series_) {
      const start = Number(series.startTime ?? series.points[0]?.timestamp ?? 0);
      const xs = [];
      for (const point of series.points) {
        const y = finiteValue(point.value);
        if (y === null || (logY && y <= 0)) continue;
        const timestamp = Number(point.timestamp);
        const x = xAxis === 'step' ? Number(point.step) : xAxis === 'wall' ? timestamp : timestamp - start;
        xs.push({ x, y, step: Number(point.step), timestamp });
      }
      if (xAxis !== 'step') xs.sort((a, b) => a.x - b.x);
      series.prepared = xs;
    }
  }

  visibleSeries_() {
    return this.series_.filter((series) => !this.hidden_.has(series.id));
  }

  fullExtent_() {
    let min = Infinity;
    let max = -Infinity;
    for (const series of this.visibleSeries_()) {
      if (!series.prepared.length) continue;
      min = Math.min(min, series.prepared[0].x);
      max = Math.max(max, series.prepared[series.prepared.length - 1].x);
    }
    if (min === Infinity) return [0, 1];
    return min === max ? [min - 1, max + 1] : [min, max];
  }

  xDomain_() {
    return this.view_ || this.fullExtent_();
  }

  // The points of a series inside [min, max] plus one either side, so lines run to the plot's edges.
  slice_(points, [min, max]) {
    const from = Math.max(0, lowerBound(points, min) - 1);
    const to = Math.min(points.length, upperBound(points, max) + 1);
    return points.slice(from, to);
  }

  yDomain_(drawn, [min, max]) {
    let low = Infinity;
    let high = -Infinity;
    for (const { raw, smoothed } of drawn) {
      for (const list of smoothed === raw ? [raw] : [raw, smoothed]) {
        for (const point of list) {
          if (point.x < min || point.x > max) continue;
          low = Math.min(low, point.y);
          high = Math.max(high, point.y);
        }
      }
    }
    if (low === Infinity) return this.options_.logY ? [0.1, 10] : [0, 1];
    if (low === high) {
      const pad = Math.abs(low || 1) * 0.1;
      return this.options_.logY ? [low / 2, high * 2] : [low - pad, high + pad];
    }
    if (this.options_.logY) return [low / 1.15, high * 1.15];
    const pad = (high - low) * 0.05;
    return [low - pad, high + pad];
  }

  resize_() {
    const width = this.box_.clientWidth;
    const height = this.box_.clientHeight;
    if (!width || !height) return;
    const ratio = window.devicePixelRatio || 1;
    this.size_ = { width, height };
    this.canvas_.width = Math.round(width * ratio);
    this.canvas_.height = Math.round(height * ratio);
    this.canvas_.style.width = `${width}px`;
    this.canvas_.style.height = `${height}px`;
    this.draw_();
  }

  plotArea_() {
    const { width, height } = this.size_;
    return { left: MARGIN.left, top: MARGIN.top, right: width - MARGIN.right, bottom: height - MARGIN.bottom };
  }

  // Everything the current frame needs: domains, scales and the series' visible points (raw and smoothed).
  frame_() {
    const area = this.plotArea_();
    const xDomain = this.xDomain_();
    const drawn = this.visibleSeries_().map((series) => {
      const raw = this.slice_(series.prepared, xDomain);
      // Smoothing runs over the whole series so zooming does not change the smoothed values.
      const smoothed = this.options_.smoothing ? this.slice_(smooth(series.prepared, this.options_.smoothing), xDomain)
        : raw;
      return { series, raw, smoothed };
    });
    const yDomain = this.yDomain_(drawn, xDomain);
    const xScale = makeScale(xDomain[0], xDomain[1], area.left, area.right);
    const yScale = makeScale(yDomain[0], yDomain[1], area.bottom, area.top, this.options_.logY);
    return { area, xDomain, yDomain, xScale, yScale, drawn };
  }

  draw_() {
    const { width, height } = this.size_;
    if (!width || !height) return;
    const context = this.canvas_.getContext('2d');
    const ratio = this.canvas_.width / width;
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.clearRect(0, 0, width, height);
    const frame = this.frame_();
    this.lastFrame_ = frame;
    this.drawAxes_(context, frame);
    context.save();
    context.beginPath();
    const { area } = frame;
    context.rect(area.left, area.top, area.right - area.left, area.bottom - area.top);
    context.clip();
    for (const { series, raw, smoothed } of frame.drawn) {
      if (smoothed !== raw) this.drawLine_(context, frame, raw, series.color, 0.25);
      this.drawLine_(context, frame, smoothed, series.color, 1);
    }
    this.drawHover_(context, frame);
    context.restore();
    this.canvas_.setAttribute('aria-label', this.accessibleName_());
  }

  accessibleName_() {
    const visible = this.visibleSeries_().length;
    const axis = X_AXIS_NAMES[this.options_.xAxis].toLowerCase();
    return `Line chart of ${this.label_} by ${axis}: ${visible} of ${this.series_.length} series shown` +
      `${this.options_.logY ? ', log scale' : ''}${this.view_ ? ', zoomed' : ''}. Last values in the table below.`;
  }

  xTicks_([min, max]) {
    const { xAxis } = this.options_;
    if (xAxis === 'step') return niceTicks(min, max, 8).map((value) => ({ value, text: formatTick(value) }));
    const ticks = timeTicks(min, max, 6);
    const text = xAxis === 'wall' ? (value) => formatWallTick(value, max - min) : formatElapsed;
    return ticks.map((value) => ({ value, text: text(value) }));
  }

  drawAxes_(context, { area, xDomain, yDomain, xScale, yScale }) {
    context.font = '11px system-ui, sans-serif';
    context.lineWidth = 1;
    context.strokeStyle = '#e6e9ed';
    context.fillStyle = '#5f6b7a';
    context.textAlign = 'center';
    context.textBaseline = 'top';
    for (const { value, text } of this.xTicks_(xDomain)) {
      const x = Math.round(xScale(value)) + 0.5;
      context.beginPath();
      context.moveTo(x, area.top);
      context.lineTo(x, area.bottom);
      context.stroke();
      context.fillText(text, x, area.bottom + 6);
    }
    const yTicks = this.options_.logY ? logTicks(yDomain[0], yDomain[1]) : niceTicks(yDomain[0], yDomain[1], 6);
    context.textAlign = 'right';
    context.textBaseline = 'middle';
    for (const value of yTicks) {
      const y = Math.round(yScale(value)) + 0.5;
      context.beginPath();
      context.moveTo(area.left, y);
      context.lineTo(area.right, y);
      context.stroke();
      context.fillText(formatTick(value), area.left - 6, y);
    }
    context.strokeStyle = '#8a96a3';
    context.strokeRect(area.left + 0.5, area.top + 0.5, area.right - area.left, area.bottom - area.top);
    context.textAlign = 'center';
    context.textBaseline = 'bottom';
    context.fillText(X_AXIS_NAMES[this.options_.xAxis], (area.left + area.right) / 2, this.size_.height - 1);
  }

  drawLine_(context, { xScale, yScale }, points, color, alpha) {
    if (!points.length) return;
    context.globalAlpha = alpha;
    context.strokeStyle = color;
    context.lineWidth = 1.5;
    context.lineJoin = 'round';
    context.beginPath();
    points.forEach((point, index) => {
      const x = xScale(point.x);
      const y = yScale(point.y);
      if (index === 0) context.moveTo(x, y);
      else context.lineTo(x, y);
    });
    if (points.length === 1) context.arc(xScale(points[0].x), yScale(points[0].y), 2, 0, 2 * Math.PI);
    context.stroke();
    context.globalAlpha = 1;
  }

  // The point of each visible series nearest to x (in the current x units).
  nearest_(x) {
    const found = [];
    for (const series of this.visibleSeries_()) {
      const points = series.prepared;
      if (!points.length) continue;
      const index = lowerBound(points, x);
      const candidates = [points[index - 1], points[index]].filter(Boolean);
      const best = candidates.reduce((a, b) => (Math.abs(b.x - x) < Math.abs(a.x - x) ? b : a));
      const smoothedY = this.options_.smoothing ? this.smoothedAt_(series, points.indexOf(best)) : null;
      found.push({ series, point: best, smoothedY });
    }
    return found;
  }

  smoothedAt_(series, index) {
    if (series.smoothCache?.weight !== this.options_.smoothing || series.smoothCache.source !== series.prepared) {
      series.smoothCache = { weight: this.options_.smoothing, source: series.prepared,
        points: smooth(series.prepared, this.options_.smoothing) };
    }
    return series.smoothCache.points[index]?.y ?? null;
  }

  drawHover_(context, { area, xScale, yScale }) {
    if (this.hoverX_ === null || this.drag_) return;
    const x = xScale(this.hoverX_);
    context.strokeStyle = '#8a96a3';
    context.setLineDash([3, 3]);
    context.beginPath();
    context.moveTo(x, area.top);
    context.lineTo(x, area.bottom);
    context.stroke();
    context.setLineDash([]);
    for (const { series, point, smoothedY } of this.nearest_(this.hoverX_)) {
      context.fillStyle = series.color;
      context.beginPath();
      context.arc(xScale(point.x), yScale(smoothedY ?? point.y), 3.5, 0, 2 * Math.PI);
      context.fill();
    }
  }

  hover_(event) {
    if (!event || !this.lastFrame_) {
      this.hoverX_ = null;
      this.tooltip_.hidden = true;
      this.draw_();
      return;
    }
    const { area, xScale } = this.lastFrame_;
    const px = event.offsetX;
    if (px < area.left || px > area.right || event.offsetY < area.top || event.offsetY > area.bottom) {
      this.hover_(null);
      return;
    }
    this.hoverX_ = xScale.invert(px);
    const found = this.nearest_(this.hoverX_);
    this.draw_();
    this.showTooltip_(found, px, event.offsetY);
  }

  showTooltip_(found, px, py) {
    if (!found.length) {
      this.tooltip_.hidden = true;
      return;
    }
    const rows = found.map(({ series, point, smoothedY }) => h('div', { class: 'chart-tooltip-row' },
      h('span', { class: 'chart-swatch', style: { background: series.color } }),
      h('span', { class: 'chart-tooltip-label' }, series.label),
      h('span', { class: 'chart-tooltip-value', dataset: { value: String(point.y) } }, formatValue(point.y)),
      smoothedY !== null ? h('span', { class: 'muted' }, ` (smoothed ${formatValue(smoothedY)})`) : null,
      h('span', { class: 'muted' }, ` step ${point.step}`),
      h('span', { class: 'muted' }, ` · ${formatStamp(point.timestamp)}`),
      this.options_.xAxis === 'relative' ? h('span', { class: 'muted' }, ` (+${formatElapsed(point.x)})`) : null));
    this.tooltip_.replaceChildren(...rows);
    this.tooltip_.hidden = false;
    const boxWidth = this.size_.width;
    const tipWidth = this.tooltip_.offsetWidth;
    const left = px + 16 + tipWidth > boxWidth ? Math.max(0, px - 16 - tipWidth) : px + 16;
    this.tooltip_.style.left = `${left}px`;
    this.tooltip_.style.top = `${Math.max(0, py - 10)}px`;
  }

  pointerDown_(event) {
    if (event.button !== 0 || !this.lastFrame_) return;
    const { area, xDomain } = this.lastFrame_;
    if (event.offsetX < area.left || event.offsetX > area.right) return;
    const mode = event.shiftKey || this.view_ ? 'pan' : 'zoom';
    this.drag_ = { mode, startX: event.offsetX, lastX: event.offsetX, domain: xDomain };
    this.canvas_.setPointerCapture(event.pointerId);
    this.tooltip_.hidden = true;
    event.preventDefault();
  }

  pointerMove_(event) {
    if (!this.drag_) {
      this.hover_(event);
      return;
    }
    const { area } = this.lastFrame_;
    const x = Math.min(area.right, Math.max(area.left, event.offsetX));
    this.drag_.lastX = x;
    if (this.drag_.mode === 'zoom') {
      const left = Math.min(x, this.drag_.startX);
      Object.assign(this.selection_.style, { left: `${left}px`, width: `${Math.abs(x - this.drag_.startX)}px`,
        top: `${area.top}px`, height: `${area.bottom - area.top}px` });
      this.selection_.hidden = false;
      return;
    }
    const [min, max] = this.drag_.domain;
    const shift = ((event.offsetX - this.drag_.startX) / (area.right - area.left)) * (max - min);
    this.view_ = [min - shift, max - shift];
    this.draw_();
  }

  pointerUp_(event) {
    const drag = this.drag_;
    if (!drag) return;
    this.drag_ = null;
    this.selection_.hidden = true;
    if (this.canvas_.hasPointerCapture(event.pointerId)) this.canvas_.releasePointerCapture(event.pointerId);
    if (drag.mode === 'zoom' && Math.abs(drag.lastX - drag.startX) > 4) {
      const { xScale } = this.lastFrame_;
      const ends = [xScale.invert(drag.startX), xScale.invert(drag.lastX)].sort((a, b) => a - b);
      this.view_ = ends;
      this.draw_();
      this.viewChanged_();
    } else if (drag.mode === 'pan' && drag.lastX !== drag.startX) {
      this.viewChanged_();
    }
  }

  // Zooms the x range by `factor` (< 1 zooms in) around the x value `center`.
  zoomBy_(factor, center) {
    const [min, max] = this.xDomain_();
    const [fullMin, fullMax] = this.fullExtent_();
    const next = [center - (center - min) * factor, center + (max - center) * factor];
    this.view_ = next[1] - next[0] >= fullMax - fullMin ? null : next;
    this.draw_();
    this.viewChanged_();
  }

  wheel_(event) {
    if (!this.lastFrame_) return;
    const { area, xScale } = this.lastFrame_;
    if (event.offsetX < area.left || event.offsetX > area.right) return;
    event.preventDefault();
    this.zoomBy_(Math.exp(Math.max(-1, Math.min(1, event.deltaY * 0.002))), xScale.invert(event.offsetX));
  }

  key_(event) {
    const [min, max] = this.xDomain_();
    const center = (min + max) / 2;
    const actions = {
      '+': () => this.zoomBy_(0.7, center),
      '=': () => this.zoomBy_(0.7, center),
      '-': () => this.zoomBy_(1 / 0.7, center),
      0: () => this.resetZoom(),
      ArrowLeft: () => this.panBy_(-(max - min) * 0.1),
      ArrowRight: () => this.panBy_((max - min) * 0.1),
    };
    if (!actions[event.key]) return;
    event.preventDefault();
    actions[event.key]();
  }

  panBy_(shift) {
    if (!this.view_) return;
    this.view_ = [this.view_[0] + shift, this.view_[1] + shift];
    this.draw_();
    this.viewChanged_();
  }

  // Tells the owner (after the interaction settles) which steps are visible, so it can fetch them in detail.
  viewChanged_() {
    clearTimeout(this.viewTimer_);
    this.viewTimer_ = setTimeout(() => this.onViewChange_?.({ stepRange: this.visibleSteps() }), VIEW_CHANGE_DELAY_MS);
  }

  // [first, last] step inside the zoomed x range (whole numbers), or null when showing everything.
  visibleSteps() {
    if (!this.view_) return null;
    const [min, max] = this.view_;
    if (this.options_.xAxis === 'step') return [Math.max(0, Math.floor(min)), Math.ceil(max)];
    let low = Infinity;
    let high = -Infinity;
    for (const series of this.visibleSeries_()) {
      for (const point of this.slice_(series.prepared, this.view_)) {
        low = Math.min(low, point.step);
        high = Math.max(high, point.step);
      }
    }
    return low === Infinity ? null : [low, high];
  }

  renderLegend_() {
    const buttons = this.series_.map((series) => h('button', {
      type: 'button', class: 'chart-legend-item', 'aria-pressed': String(!this.hidden_.has(series.id)),
      dataset: { seriesId: series.id }, title: 'Hide or show this series',
      onclick: () => this.toggle_(series.id),
    }, h('span', { class: 'chart-swatch', style: { background: series.color } }), series.label));
    this.legend_.replaceChildren(...buttons);
  }

  toggle_(id) {
    if (this.hidden_.has(id)) this.hidden_.delete(id);
    else this.hidden_.add(id);
    this.renderLegend_();
    this.draw_();
    this.onLegendChange_?.([...this.hidden_]);
  }

  renderSummary_() {
    const rows = this.series_.map((series) => {
      const last = [...series.points].reverse().find((point) => finiteValue(point.value) !== null);
      return h('tr', {}, h('th', { scope: 'row' }, series.label),
        h('td', {}, last ? formatValue(Number(last.value)) : '—'), h('td', {}, last ? String(last.step) : ''));
    });
    this.summary_.replaceChildren(h('caption', {}, `Last value of each series of ${this.label_}`),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Series'), h('th', { scope: 'col' }, 'Last value'),
        h('th', { scope: 'col' }, 'Step'))),
      h('tbody', {}, rows));
  }
}
