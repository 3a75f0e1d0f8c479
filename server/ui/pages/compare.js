// Compare runs (#/compare-runs?runs=[..]&experiments=[..]): the runs side by side (params, latest metrics, tags, with
// the rows whose values differ highlighted and a switch to show only those), an overlaid chart of one metric, a
// scatter plot of one param or metric against another, and parallel coordinates over chosen params and metrics.
// Runs may come from several experiments.

import { get } from '../lib/api.js';
import { errorBox, formatNumber, formatTime, h, setTitle } from '../lib/dom.js';
import { fetchRuns } from '../components/chart_metric_data.js';
import { MetricChartView } from '../components/chart_metric_view.js';
import { seriesColor } from '../components/chart_scale.js';
import { renderParallelCoordinates } from '../components/parallel_coordinates.js';
import { renderScatterPlot } from '../components/scatter_plot.js';

const PARALLEL_AXES_DEFAULT = 6;

function listOf(value) {
  if (value === undefined || value === null || value === '') return [];
  return Array.isArray(value) ? value.map(String) : [String(value)];
}

function runName(run) {
  return run.info.run_name || run.info.run_id;
}

function runHref(run) {
  return `#/experiments/${encodeURIComponent(run.info.experiment_id)}/runs/${encodeURIComponent(run.info.run_id)}`;
}

// Each run's params, latest metrics and (user) tags as Map(key -> value), and the keys across runs.
function runFields(runs) {
  const pick = (run, field, skip = () => false) =>
    new Map((run.data?.[field] || []).filter((item) => !skip(item.key)).map((item) => [item.key, item.value]));
  const isSystemTag = (key) => key.startsWith('mlflow.');
  const fields = runs.map((run) => ({ params: pick(run, 'params'), metrics: pick(run, 'metrics'),
    tags: pick(run, 'tags', isSystemTag) }));
  const keys = (field) => [...new Set(fields.flatMap((item) => [...item[field].keys()]))].sort();
  return { fields, keys: { params: keys('params'), metrics: keys('metrics'), tags: keys('tags') } };
}

// The choices of the scatter plot and parallel coordinates: "param:<key>" and "metric:<key>".
function dimensions(keys) {
  return [...keys.params.map((key) => ({ id: `param:${key}`, field: 'params', key, label: key })),
    ...keys.metrics.map((key) => ({ id: `metric:${key}`, field: 'metrics', key, label: key }))];
}

export default async function render(view, route) {
  const runIds = [...new Set(listOf(route.json('runs', [])))];
  setTitle('Compare runs');
  if (runIds.length === 0) {
    view.append(h('h1', {}, 'Compare runs'), errorBox({ errorCode: 'INVALID_PARAMETER_VALUE',
      message: 'This page needs runs=["<run id>", ...] in its URL.' }));
    return undefined;
  }
  const { runs, errors } = await fetchRuns(runIds);
  const experiments = await experimentNames(runs);
  if (!route.isCurrent()) return undefined;
  setTitle(`Comparing ${runs.length} runs`);
  view.append(h('h1', {}, `Comparing ${runs.length} run${runs.length === 1 ? '' : 's'}`), ...errors.map(errorBox));
  if (!runs.length) return undefined;
  const page = new ComparePage(view, runs, experiments);
  await page.load();
  return () => page.destroy();
}

// Experiment id -> name for the runs' experiments (an experiment that cannot be read keeps its id).
async function experimentNames(runs) {
  const ids = [...new Set(runs.map((run) => run.info.experiment_id))];
  const answers = await Promise.allSettled(ids.map((id) => get('experiments/get', { experiment_id: id })));
  return new Map(ids.map((id, index) => [id, answers[index].status === 'fulfilled'
    ? answers[index].value.experiment.name : id]));
}

class ComparePage {
  constructor(view, runs, experiments) {
    this.runs_ = runs;
    this.experiments_ = experiments;
    const { fields, keys } = runFields(runs);
    this.fields_ = fields;
    this.keys_ = keys;
    this.dimensions_ = dimensions(keys);
    this.colors_ = runs.map((run, index) => seriesColor(index));
    this.chart_ = null;
    view.append(this.tableSection_(), h('div', { class: 'compare-grid' }, this.chartSection_(), this.scatterSection_(),
      this.parallelSection_()));
  }

  async load() {
    await this.chart_?.load();
  }

  destroy() {
    this.chart_?.destroy();
  }

  tableSection_() {
    const head = h('tr', {}, h('th', { scope: 'col' }, 'Run'), this.runs_.map((run, index) => h('th', { scope: 'col' },
      h('span', { class: 'chart-swatch', style: { background: this.colors_[index] } }),
      h('a', { href: runHref(run) }, runName(run)))));
    const infoRows = [
      this.row_('Run ID', this.runs_.map((run) => run.info.run_id), { mono: true }),
      this.row_('Experiment', this.runs_.map((run) => this.experiments_.get(run.info.experiment_id))),
      this.row_('Start time', this.runs_.map((run) => formatTime(run.info.start_time)), { compare: false }),
      this.row_('Status', this.runs_.map((run) => run.info.status)),
    ];
    const sections = [['Parameters', 'params'], ['Metrics', 'metrics'], ['Tags', 'tags']].map(([title, field]) =>
      this.fieldRows_(title, field));
    this.table_ = h('table', { class: 'grid compare-table' }, h('thead', {}, head), h('tbody', {}, infoRows),
      ...sections);
    const toggle = h('input', { type: 'checkbox', name: 'only-differences',
      onchange: (event) => this.showOnlyDifferences_(event.target.checked) });
    return h('section', {}, h('div', { class: 'toolbar' }, h('label', {}, toggle, 'Show only differences'),
      h('span', { class: 'muted' }, 'Rows whose values differ are highlighted.')),
    h('div', { class: 'table-scroll' }, this.table_));
  }

  fieldRows_(title, field) {
    const keys = this.keys_[field];
    const rows = keys.map((key) => this.row_(key, this.fields_.map((item) => item[field].get(key)),
      { numeric: field === 'metrics' }));
    const header = h('tr', {}, h('th', { class: 'section', scope: 'colgroup', colspan: String(this.runs_.length + 1) },
      `${title} (${keys.length})`));
    return h('tbody', { dataset: { section: field } }, header, rows);
  }

  // A row of the table; it is marked when the runs' values are not all the same (a missing value counts).
  row_(label, values, { numeric = false, mono = false, compare = true } = {}) {
    const texts = values.map((value) => (value === undefined ? '' : numeric ? formatNumber(value) : String(value)));
    const differs = compare && this.runs_.length > 1 && new Set(values.map((value) => String(value))).size > 1;
    const cells = texts.map((text) => h('td', { class: [numeric ? 'number' : '', mono ? 'mono' : '',
      differs ? 'diff' : ''].filter(Boolean).join(' ') || undefined, title: text }, text || '—'));
    return h('tr', { class: differs ? 'diff' : undefined, dataset: { differs: String(differs) } },
      h('th', { scope: 'row' }, label), cells);
  }

  showOnlyDifferences_(only) {
    for (const row of this.table_.querySelectorAll('tr[data-differs]')) {
      row.hidden = only && row.dataset.differs !== 'true';
    }
    for (const section of this.table_.querySelectorAll('tbody[data-section]')) {
      section.hidden = only && !section.querySelector('tr[data-differs="true"]');
    }
  }

  chartSection_() {
    const section = h('section', { class: 'compare-chart' }, h('h2', {}, 'Metric chart'));
    if (!this.keys_.metrics.length) {
      section.append(h('p', { class: 'muted' }, 'These runs have no metrics.'));
      return section;
    }
    const key = this.keys_.metrics[0];
    this.chart_ = new MetricChartView({ runs: this.runs_, keys: [key] });
    const select = h('select', { name: 'chart-metric', 'aria-label': 'Metric to chart',
      onchange: (event) => this.chart_.setKeys([event.target.value]) },
    this.keys_.metrics.map((item) => h('option', { value: item }, item)));
    const link = h('a', { class: 'chart-open', href: this.metricHref_(key) }, 'Open in the metric page');
    select.addEventListener('change', () => link.setAttribute('href', this.metricHref_(select.value)));
    section.append(h('div', { class: 'toolbar' }, h('label', {}, 'Metric:', select), link), this.chart_.element);
    return section;
  }

  metricHref_(key) {
    const runs = encodeURIComponent(JSON.stringify(this.runs_.map((run) => run.info.run_id)));
    const experiments = encodeURIComponent(JSON.stringify([...this.experiments_.keys()]));
    return `#/metric/${encodeURIComponent(key)}?runs=${runs}&experiments=${experiments}`;
  }

  dimensionValue_(dimension, runIndex) {
    return this.fields_[runIndex][dimension.field].get(dimension.key);
  }

  dimensionSelect_(label, name, selected, onchange) {
    const groups = [['Parameters', 'params'], ['Metrics', 'metrics']].map(([title, field]) =>
      h('optgroup', { label: title }, this.dimensions_.filter((item) => item.field === field).map((item) =>
        h('option', { value: item.id, selected: item.id === selected?.id }, item.label))));
    return h('label', {}, `${label}:`, h('select', { name, 'aria-label': label,
      onchange: (event) => onchange(this.dimensions_.find((item) => item.id === event.target.value)) }, groups));
  }

  scatterSection_() {
    const section = h('section', { class: 'compare-scatter' }, h('h2', {}, 'Scatter plot'));
    if (!this.dimensions_.length) {
      section.append(h('p', { class: 'muted' }, 'These runs have no params or metrics.'));
      return section;
    }
    const metric = this.dimensions_.find((item) => item.field === 'metrics');
    const choice = { x: this.dimensions_[0], y: metric && metric !== this.dimensions_[0] ? metric
      : this.dimensions_[1] || this.dimensions_[0] };
    const holder = h('div', {});
    const draw = () => holder.replaceChildren(renderScatterPlot({ xLabel: choice.x.label, yLabel: choice.y.label,
      points: this.runs_.map((run, index) => ({ id: run.info.run_id, label: runName(run), color: this.colors_[index],
        x: this.dimensionValue_(choice.x, index), y: this.dimensionValue_(choice.y, index) })) }));
    section.append(h('div', { class: 'toolbar' },
      this.dimensionSelect_('X axis', 'scatter-x', choice.x, (item) => { choice.x = item; draw(); }),
      this.dimensionSelect_('Y axis', 'scatter-y', choice.y, (item) => { choice.y = item; draw(); })), holder);
    draw();
    return section;
  }

  parallelSection_() {
    const section = h('section', { class: 'compare-parallel' }, h('h2', {}, 'Parallel coordinates'));
    if (!this.dimensions_.length) {
      section.append(h('p', { class: 'muted' }, 'These runs have no params or metrics.'));
      return section;
    }
    const chosen = new Set(this.dimensions_.slice(0, PARALLEL_AXES_DEFAULT).map((item) => item.id));
    const holder = h('div', {});
    const draw = () => {
      const axes = this.dimensions_.filter((item) => chosen.has(item.id)).map((item) => ({ label: item.label,
        values: new Map(this.runs_.map((run, index) => [run.info.run_id, this.dimensionValue_(item, index)])) }));
      holder.replaceChildren(axes.length ? renderParallelCoordinates({ axes, runs: this.runs_.map((run, index) =>
        ({ id: run.info.run_id, label: runName(run), color: this.colors_[index] })) })
        : h('p', { class: 'muted' }, 'Choose at least one param or metric.'));
    };
    const boxes = this.dimensions_.map((item) => h('label', {}, h('input', { type: 'checkbox', name: 'parallel-axis',
      checked: chosen.has(item.id), value: item.id,
      onchange: (event) => {
        if (event.target.checked) chosen.add(item.id);
        else chosen.delete(item.id);
        draw();
      } }), `${item.field === 'params' ? 'param' : 'metric'} ${item.label}`));
    section.append(h('fieldset', { class: 'pc-axes' }, h('legend', {}, 'Axes'), boxes), holder);
    draw();
    return section;
  }
}
