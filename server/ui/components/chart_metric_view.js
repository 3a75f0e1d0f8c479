// A line chart of metric keys over runs that fetches its own data: the whole history of each key down-sampled to
// the plot's width, and, after a zoom or pan, the visible steps again so the detail appears. Used by the metric
// page and the compare page.
//
//   const view = new MetricChartView({ runs, keys, options: { xAxis, logY, smoothing, hidden }, onLegendChange });
//   container.append(view.element); await view.load();

import { errorBox, h } from '../lib/dom.js';
import { clampMaxResults, fetchSampledHistories, mergeDetail } from './chart_metric_data.js';
import { seriesColor } from './chart_scale.js';
import { LineChart } from './line_chart.js';

// Fewer distinct steps than asked for means the server had no more: the whole history is there.
function isComplete(histories, maxResults) {
  return [...histories.values()].every((points) => new Set(points.map((point) => point.step)).size < maxResults);
}

function runName(run) {
  return run.info.run_name || run.info.run_id;
}

export class MetricChartView {
  constructor({ runs, keys, options = {}, onLegendChange }) {
    this.runs_ = runs;
    this.runIds_ = runs.map((run) => run.info.run_id);
    this.keys_ = keys;
    this.overview_ = new Map(); // metric key -> Map(run id -> sampled points over the whole history)
    this.complete_ = new Set(); // metric keys whose overview holds every point: zooming needs no refetch
    this.request_ = 0;
    this.status_ = h('p', { class: 'chart-status muted', role: 'status' });
    this.chart_ = new LineChart({ label: keys.join(', '), onViewChange: ({ stepRange }) => this.showRange_(stepRange),
      onLegendChange });
    this.chart_.setOptions(options);
    this.element = h('div', { class: 'chart-panel' }, this.chart_.element, this.status_);
  }

  destroy() {
    this.request_ += 1;
    this.chart_.destroy();
  }

  setOptions(options) {
    this.chart_.setOptions(options);
  }

  resetZoom() {
    this.chart_.resetZoom();
  }

  async setKeys(keys) {
    this.keys_ = keys;
    this.chart_.setLabel(keys.join(', '));
    this.chart_.resetZoom();
    await this.load();
  }

  // The whole history of every key, down-sampled to about one point per pixel of the plot's width.
  async load() {
    const request = ++this.request_;
    this.status_.textContent = 'Fetching metric histories…';
    try {
      const missing = this.keys_.filter((key) => !this.overview_.has(key));
      const maxResults = clampMaxResults(this.chart_.plotWidth());
      const fetched = await Promise.all(missing.map((key) => fetchSampledHistories(this.runIds_, key, maxResults)));
      missing.forEach((key, index) => {
        this.overview_.set(key, fetched[index]);
        if (isComplete(fetched[index], maxResults)) this.complete_.add(key);
      });
      if (request === this.request_) this.show_(this.overview_);
    } catch (error) {
      if (request === this.request_) this.status_.replaceChildren(errorBox(error));
    }
  }

  // Refetches the visible steps at full resolution; back to the overview when zoomed out.
  async showRange_(stepRange) {
    const request = ++this.request_;
    if (!stepRange || this.keys_.every((key) => this.complete_.has(key))) {
      this.show_(this.overview_);
      return;
    }
    this.status_.textContent = `Fetching steps ${stepRange[0]}–${stepRange[1]}…`;
    try {
      const keys = this.keys_.filter((key) => !this.complete_.has(key));
      const details = await Promise.all(keys.map((key) =>
        fetchSampledHistories(this.runIds_, key, this.chart_.plotWidth(), stepRange)));
      if (request !== this.request_) return;
      const merged = new Map(this.overview_);
      keys.forEach((key, index) => merged.set(key, new Map(this.runIds_.map((runId) => [runId,
        mergeDetail(this.overview_.get(key)?.get(runId) || [], details[index].get(runId), stepRange)]))));
      this.show_(merged, stepRange);
    } catch (error) {
      if (request === this.request_) this.status_.replaceChildren(errorBox(error));
    }
  }

  show_(histories, stepRange = null) {
    const keys = this.keys_;
    const series = [];
    for (const key of keys) {
      for (const run of this.runs_) {
        const label = keys.length > 1 && this.runs_.length > 1 ? `${runName(run)} · ${key}`
          : keys.length > 1 ? key : runName(run);
        series.push({ id: `${run.info.run_id}:${key}`, label, color: seriesColor(series.length),
          startTime: run.info.start_time, points: histories.get(key)?.get(run.info.run_id) || [] });
      }
    }
    this.chart_.setSeries(series);
    const count = series.reduce((total, item) => total + item.points.length, 0);
    const empty = series.filter((item) => !item.points.length).map((item) => item.label);
    const detail = stepRange ? ` (steps ${stepRange[0]}–${stepRange[1]} in detail)` : '';
    const missing = empty.length ? ` No values for: ${empty.join(', ')}.` : '';
    this.status_.textContent = `${count} points shown${detail}.${missing}`;
  }
}
