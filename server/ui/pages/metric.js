// The metric page: one or more metric keys of one or more runs as an overlaid line chart, with the x axis, log scale,
// smoothing, overlaid keys and hidden series kept in the URL so a shared link reproduces the view. Both URL forms of
// the official UI are read: #/metric?runs=[..]&metric="key"&experiments=[..] and
// #/metric/<key>?runs=[..]&experiments=[..]&plot_metric_keys=[..].

import { errorBox, h, hashLink, setTitle } from '../lib/dom.js';
import { fetchRuns } from '../components/chart_metric_data.js';
import { MetricChartView } from '../components/chart_metric_view.js';

const X_AXES = [['step', 'Step'], ['wall', 'Time (wall)'], ['relative', 'Time (relative)']];

function listOf(value) {
  if (value === undefined || value === null || value === '') return [];
  return Array.isArray(value) ? value.map(String) : [String(value)];
}

// The view's choices from the URL, each falling back to the default when missing or malformed.
function readState(route) {
  const metricKey = route.params.metricKey ?? route.json('metric', null);
  const keys = listOf(route.json('plot_metric_keys', null));
  const smoothing = Number(route.json('line_smoothness', 0));
  return {
    runIds: [...new Set(listOf(route.json('runs', [])))],
    experiments: listOf(route.json('experiments', [])),
    metricKey: metricKey === null ? null : String(metricKey),
    keys: keys.length ? keys : listOf(metricKey),
    xAxis: X_AXES.some(([value]) => value === route.json('x_axis')) ? route.json('x_axis') : 'step',
    logY: route.json('y_axis_scale') === 'log',
    smoothing: Number.isFinite(smoothing) ? Math.min(0.99, Math.max(0, smoothing)) : 0,
    hidden: listOf(route.json('deselected_curves', [])),
  };
}

// Rewrites the URL in place (no new history entry, no re-render) so it always describes what is shown.
function writeState(route, state) {
  const query = { runs: state.runIds, experiments: state.experiments, plot_metric_keys: state.keys };
  if (!route.params.metricKey) query.metric = state.metricKey;
  if (state.xAxis !== 'step') query.x_axis = state.xAxis;
  if (state.logY) query.y_axis_scale = 'log';
  if (state.smoothing) query.line_smoothness = state.smoothing;
  if (state.hidden.length) query.deselected_curves = state.hidden;
  const path = route.params.metricKey ? `/metric/${encodeURIComponent(route.params.metricKey)}` : '/metric';
  history.replaceState(null, '', hashLink(path, query));
}

function runName(run) {
  return run.info.run_name || run.info.run_id;
}

function runLink(run) {
  const { experiment_id: experimentId, run_id: runId } = run.info;
  return h('a', { href: `#/experiments/${encodeURIComponent(experimentId)}/runs/${encodeURIComponent(runId)}` },
    runName(run));
}

function labeledSelect(label, options, selected, onchange) {
  const select = h('select', { 'aria-label': label, onchange: (event) => onchange(event.target.value) },
    options.map(([value, text]) => h('option', { value, selected: value === selected }, text)));
  return h('label', {}, `${label}:`, select);
}

export default async function render(view, route) {
  const state = readState(route);
  setTitle(state.metricKey ? `Metric ${state.metricKey}` : 'Metric');
  if (!state.runIds.length || !state.keys.length) {
    view.append(h('h1', {}, 'Metric'), errorBox({ errorCode: 'INVALID_PARAMETER_VALUE',
      message: 'This page needs runs=["<run id>", ...] and a metric key in its URL.' }));
    return undefined;
  }
  const { runs, errors } = await fetchRuns(state.runIds);
  if (!route.isCurrent()) return undefined;
  const title = h('h1', {}, state.keys.join(', '));
  view.append(title, ...errors.map(errorBox));
  if (!runs.length) return undefined;
  state.runIds = runs.map((run) => run.info.run_id);
  const page = new MetricPage(view, route, state, runs, title);
  await page.load();
  return () => page.destroy();
}

class MetricPage {
  constructor(view, route, state, runs, title) {
    this.route_ = route;
    this.title_ = title;
    this.state_ = state;
    this.runs_ = runs;
    this.keysBox_ = h('div', { class: 'chart-keys', role: 'group', 'aria-label': 'Metrics shown' });
    this.chart_ = new MetricChartView({ runs, keys: state.keys,
      options: { xAxis: state.xAxis, logY: state.logY, smoothing: state.smoothing, hidden: state.hidden },
      onLegendChange: (hidden) => this.update_({ hidden }) });
    view.append(this.runsLine_(), this.toolbar_(), this.keysBox_, this.chart_.element);
    this.renderKeys_();
  }

  load() {
    return this.chart_.load();
  }

  destroy() {
    this.chart_.destroy();
  }

  runsLine_() {
    const links = this.runs_.flatMap((run, index) => [index ? ', ' : '', runLink(run)]);
    return h('p', { class: 'chart-runs' }, this.runs_.length === 1 ? 'Run: ' : 'Runs: ', links);
  }

  toolbar_() {
    const { state_: state } = this;
    const smoothingValue = h('output', { class: 'mono' }, state.smoothing.toFixed(2));
    const slider = h('input', { type: 'range', min: '0', max: '0.99', step: '0.01', value: String(state.smoothing),
      'aria-label': 'Smoothing', name: 'smoothing',
      oninput: (event) => {
        const smoothing = Number(event.target.value);
        smoothingValue.textContent = smoothing.toFixed(2);
        this.update_({ smoothing });
      } });
    const log = h('input', { type: 'checkbox', name: 'log', checked: state.logY,
      onchange: (event) => this.update_({ logY: event.target.checked }) });
    return h('div', { class: 'toolbar chart-toolbar' },
      labeledSelect('X axis', X_AXES, state.xAxis, (xAxis) => this.update_({ xAxis })),
      h('label', {}, log, 'Log scale'),
      h('label', {}, 'Smoothing:', slider, smoothingValue),
      h('button', { type: 'button', onclick: () => this.chart_.resetZoom() }, 'Reset zoom'),
      h('span', { class: 'muted chart-hint' }, 'Drag to zoom, shift-drag or drag when zoomed to pan, wheel to zoom, ' +
        'double-click to reset.'));
  }

  availableKeys_() {
    const keys = new Set(this.runs_.flatMap((run) => (run.data?.metrics || []).map((metric) => metric.key)));
    return [...keys].sort();
  }

  renderKeys_() {
    const removable = this.state_.keys.length > 1;
    const chips = this.state_.keys.map((key) => h('span', { class: 'tag chart-key' }, key,
      removable ? h('button', { type: 'button', class: 'chart-key-remove', 'aria-label': `Remove ${key}`,
        onclick: () => this.setKeys_(this.state_.keys.filter((other) => other !== key)) }, '×') : null));
    const others = this.availableKeys_().filter((key) => !this.state_.keys.includes(key));
    const add = others.length ? h('select', { 'aria-label': 'Add a metric', name: 'add-metric',
      onchange: (event) => event.target.value && this.setKeys_([...this.state_.keys, event.target.value]) },
    h('option', { value: '' }, 'Add a metric…'), others.map((key) => h('option', { value: key }, key))) : null;
    this.keysBox_.replaceChildren(...chips, add || '');
  }

  async setKeys_(keys) {
    this.state_.keys = keys;
    this.update_({});
    this.renderKeys_();
    this.title_.textContent = keys.join(', ');
    await this.chart_.setKeys(keys);
  }

  update_(changes) {
    Object.assign(this.state_, changes);
    const { xAxis, logY, smoothing } = this.state_;
    if (!('hidden' in changes)) this.chart_.setOptions({ xAxis, logY, smoothing });
    writeState(this.route_, this.state_);
  }
}
