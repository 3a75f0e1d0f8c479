// An experiment's MLflow 3 logged models (#/experiments/<id>/models, the official UI's "Models" tab): the experiment's
// header with its tabs, then the models from logged-models/search, paged by page tokens, newest first, with the
// search grammar of logged models in the filter box (kept in the URL as searchFilter), and their latest metrics and
// params as columns to choose. A server without logged models (MLflow 2.x, or a database at MLflow 2.9's schema)
// answers the search with an error: the page then says so instead of failing.
import { get, post } from '../lib/api.js';
import { clear, errorBox, formatNumber, formatTime, h, setTitle } from '../lib/dom.js';
import { experimentHeader } from '../components/experiment_header.js';
import {
  latestMetrics, loggedModelPath, registeredVersionLinks, runPath, statusBadge,
} from '../components/logged_model_parts.js';
import { SeenKeys, columnChooser, defaultColumnIds } from '../components/runs_columns.js';
import { TokenPager, pagerControls } from '../components/runs_pager.js';
import { replaceQuery } from '../components/runs_url.js';

const DATA_KINDS = ['metric', 'param'];

// The shape SeenKeys and defaultColumnIds read (data.metrics, data.params): a model's latest metric values under
// their labels (a metric per dataset is a column of its own) and its params.
function columnData(model) {
  return {
    data: {
      metrics: latestMetrics(model).map((metric) => ({ key: metric.label, value: metric.value })),
      params: model.data?.params || [],
    },
  };
}

// The text of a metric or param cell; `shaped` is columnData(model).
function dataValue(shaped, kind, key) {
  const entries = kind === 'metric' ? shaped.data.metrics : shaped.data.params;
  const entry = entries.find((item) => item.key === key);
  if (!entry) return '';
  return kind === 'metric' ? formatNumber(entry.value) : entry.value;
}

// Run names for the source-run links: one runs/search for the runs of a page (ids are shown when it fails).
async function runNames(experimentId, runIds) {
  if (runIds.length === 0) return new Map();
  try {
    const quoted = runIds.map((id) => `'${id.replace(/'/g, "\\'")}'`).join(', ');
    const answer = await post('runs/search', { experiment_ids: [experimentId], run_view_type: 'ALL',
      filter: `attributes.run_id IN (${quoted})`, max_results: runIds.length });
    return new Map((answer.runs || []).map((run) => [run.info.run_id, run.info.run_name || run.info.run_id]));
  } catch {
    return new Map();
  }
}

class ExperimentModelsPage {
  constructor(view, route, experiment) {
    this.view = view;
    this.route = route;
    this.experiment = experiment;
    this.filter = route.query.get('searchFilter') || '';
    this.pageSize = 25;
    this.pager = new TokenPager();
    this.models = [];
    this.names = new Map();
    this.seen = new SeenKeys();
    this.chosen = null; // column ids; set from the first page that has models
    this.loadCount = 0;
  }

  render() {
    setTitle(`${this.experiment.name} · Models`);
    const filterBox = h('input', { type: 'search', class: 'grow mono', name: 'searchFilter', value: this.filter,
      'aria-label': 'Search logged models', placeholder: "metrics.accuracy > 0.9 and name = 'model'" });
    this.filterForm = h('form', { class: 'toolbar runs-filter', role: 'search',
      onsubmit: (event) => { event.preventDefault(); this.filterChosen(filterBox.value); } },
    filterBox,
    h('button', { type: 'submit' }, 'Search'),
    h('button', { type: 'button', onclick: () => { filterBox.value = ''; this.filterChosen(''); } }, 'Clear'));
    this.chooserSlot = h('span', { class: 'chooser-slot' });
    this.errorSlot = h('div', { class: 'runs-error' });
    this.tableBox = h('div', { class: 'table-scroll runs-scroll', tabindex: '0', 'aria-label': 'Logged models' });
    this.pagerView = pagerControls({
      what: 'Models', pageSize: this.pageSize,
      onPageSize: (size) => { this.pageSize = size; this.pager.reset(); this.load(); },
      onPrevious: () => { if (this.pager.previous()) this.load(); },
      onNext: () => { if (this.pager.next()) this.load(); },
    });
    this.controls = h('div', { class: 'logged-models-view' }, this.filterForm,
      h('div', { class: 'toolbar' }, this.chooserSlot), this.errorSlot, this.tableBox, this.pagerView.element);
    this.unsupportedSlot = h('div');
    this.view.append(experimentHeader(this.experiment, 'models'), this.unsupportedSlot, this.controls);
    return this.load();
  }

  filterChosen(text) {
    this.filter = text;
    this.pager.reset();
    replaceQuery(this.route.path, { searchFilter: this.filter.trim() });
    return this.load();
  }

  async load() {
    const count = ++this.loadCount;
    const filter = this.filter.trim();
    let answer;
    try {
      answer = await post('logged-models/search', {
        experiment_ids: [this.experiment.experiment_id],
        filter: filter || undefined,
        max_results: this.pageSize,
        page_token: this.pager.token,
      });
    } catch (error) {
      if (count !== this.loadCount || !this.route.isCurrent()) return;
      // Without a filter, a refusal means the server has no logged models at all; with one, the filter is at fault
      // and the controls stay usable.
      if (!filter && !this.pager.token) this.showUnsupported(error);
      else clear(this.errorSlot).append(errorBox(error));
      this.models = [];
      this.pager.received(undefined);
      this.draw();
      return;
    }
    if (count !== this.loadCount || !this.route.isCurrent()) return;
    clear(this.errorSlot);
    const models = answer.models || [];
    if (models.length === 0 && this.pager.previous()) return this.load();
    const sourceRuns = [...new Set(models.map((model) => model.info?.source_run_id).filter(Boolean))];
    const names = await runNames(this.experiment.experiment_id, sourceRuns);
    if (count !== this.loadCount || !this.route.isCurrent()) return;
    this.models = models;
    this.names = names;
    this.pager.received(answer.next_page_token);
    const shaped = models.map(columnData);
    this.seen.add(shaped);
    if (!this.chosen && models.length > 0) this.chosen = new Set(defaultColumnIds(shaped));
    this.draw();
    this.tableBox.scrollTop = 0;
  }

  showUnsupported(error) {
    this.controls.hidden = true;
    clear(this.unsupportedSlot).append(h('div', { class: 'panel notice', role: 'note' },
      h('p', {}, 'This server does not keep logged models: they are an MLflow 3 feature (a server at MLflow 2, or a ' +
        'database at the MLflow 2.9 schema, has none).'),
      h('p', { class: 'muted' }, `The server answered: ${error.errorCode ? `${error.errorCode}: ` : ''}` +
        `${error.message}`)));
  }

  columns() {
    const chosen = this.chosen || new Set();
    const data = [];
    for (const kind of DATA_KINDS) {
      for (const key of this.seen.sorted(kind)) {
        if (chosen.has(`${kind}:${key}`)) data.push({ kind, key });
      }
    }
    return data;
  }

  row(model, dataColumns) {
    const info = model.info || {};
    const experimentId = info.experiment_id || this.experiment.experiment_id;
    const sourceRun = info.source_run_id;
    const versions = registeredVersionLinks(model);
    const shaped = columnData(model);
    return h('tr', { dataset: { modelId: info.model_id } },
      h('td', {}, h('a', { href: `#${loggedModelPath(experimentId, info.model_id)}` }, info.name || info.model_id)),
      h('td', { class: 'mono' }, info.model_id),
      h('td', {}, statusBadge(info.status)),
      h('td', {}, formatTime(info.creation_timestamp_ms)),
      h('td', {}, sourceRun
        ? h('a', { href: `#${runPath(experimentId, sourceRun)}`, class: 'source-run', title: sourceRun },
          this.names.get(sourceRun) || sourceRun)
        : ''),
      h('td', {}, info.model_type || ''),
      h('td', { class: 'model-versions' }, versions.length ? versions : ''),
      dataColumns.map(({ kind, key }) => h('td', { class: kind === 'metric' ? 'number' : 'wrap' },
        dataValue(shaped, kind, key))));
  }

  draw() {
    const dataColumns = this.columns();
    let content;
    if (this.models.length === 0) {
      content = h('p', { class: 'muted empty' }, this.filter.trim()
        ? 'No logged models match the search.'
        : 'No logged models in this experiment yet. Models logged with MLflow 3 (log_model) appear here.');
    } else {
      const headers = ['Model name', 'Model ID', 'Status', 'Created', 'Source run', 'Model type', 'Registered models'];
      content = h('table', { class: 'grid logged-models-table' },
        h('thead', {}, h('tr', {}, headers.map((title) => h('th', { scope: 'col' }, title)),
          dataColumns.map(({ kind, key }) => h('th', { scope: 'col', class: kind === 'metric' ? 'number' : '',
            title: kind === 'metric' ? `Metric ${key} (latest value)` : `Parameter ${key}` }, key)))),
        h('tbody', {}, this.models.map((model) => this.row(model, dataColumns))));
    }
    clear(this.tableBox).append(content);
    this.drawChooser();
    this.pagerView.update(this.pager, this.models.length);
  }

  drawChooser() {
    const open = this.chooserSlot.querySelector('details')?.open;
    const chooser = columnChooser(this.seen, this.chosen || new Set(), (id, checked) => {
      if (!this.chosen) this.chosen = new Set();
      if (checked) this.chosen.add(id);
      else this.chosen.delete(id);
      this.draw();
    }, { kinds: DATA_KINDS, emptyText: 'None in the loaded models' });
    chooser.open = Boolean(open);
    const focused = document.activeElement?.dataset?.column;
    clear(this.chooserSlot).append(chooser);
    if (focused) chooser.querySelector(`[data-column="${CSS.escape(focused)}"]`)?.focus();
  }
}

export default async function render(view, route) {
  const { experiment } = await get('experiments/get', { experiment_id: route.params.experimentId });
  if (!route.isCurrent()) return undefined;
  const page = new ExperimentModelsPage(view, route, experiment);
  await page.render();
  return undefined;
}
