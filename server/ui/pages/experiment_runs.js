// An experiment's runs (#/experiments/<id>): its header (with the tab to its logged models), then the runs table
// driven by runs/search: MLflow's search grammar in the filter box, server-side order by any column, paging by page
// tokens, lifecycle view, chosen metric/param/tag columns, selection for compare, delete and restore. The URL keeps
// searchFilter, orderByKey, orderByAsc and lifecycleFilter as the official UI names them.
import { get, post } from '../lib/api.js';
import { clear, errorBox, h, hashLink, setTitle } from '../lib/dom.js';
import { confirmDialog } from '../components/experiment_confirm.js';
import { experimentHeader } from '../components/experiment_header.js';
import { SeenKeys, chosenColumns, columnChooser, defaultColumnIds } from '../components/runs_columns.js';
import { TokenPager, pagerControls } from '../components/runs_pager.js';
import { runsTable } from '../components/runs_table.js';
import { LIFECYCLE_VIEWS, lifecycleView, replaceQuery } from '../components/runs_url.js';

const DEFAULT_ORDER = { key: 'attributes.start_time', ascending: false };

class ExperimentRunsPage {
  constructor(view, route, experiment) {
    this.view = view;
    this.route = route;
    this.experiment = experiment;
    this.filter = route.query.get('searchFilter') || '';
    this.sort = {
      key: route.query.get('orderByKey') || DEFAULT_ORDER.key,
      ascending: route.query.has('orderByKey') ? route.query.get('orderByAsc') === 'true' : DEFAULT_ORDER.ascending,
    };
    this.lifecycle = lifecycleView(route.query.get('lifecycleFilter'));
    this.pageSize = 25;
    this.pager = new TokenPager();
    this.runs = [];
    this.seen = new SeenKeys();
    this.chosen = null; // column ids; set from the first page that has runs
    this.selection = new Set();
    this.collapsed = new Set();
    this.loadCount = 0;
  }

  render() {
    setTitle(this.experiment.name);
    const filterBox = h('input', { type: 'search', class: 'grow mono', name: 'searchFilter', value: this.filter,
      'aria-label': 'Search runs', placeholder: 'metrics.rmse < 1 and params.model = "tree"' });
    const filterForm = h('form', { class: 'toolbar runs-filter', role: 'search',
      onsubmit: (event) => { event.preventDefault(); this.filterChosen(filterBox.value); } },
    filterBox,
    h('button', { type: 'submit' }, 'Search'),
    h('button', { type: 'button', onclick: () => { filterBox.value = ''; this.filterChosen(''); } }, 'Clear'));
    const lifecycle = h('select', { 'aria-label': 'Runs to show',
      onchange: () => this.lifecycleChosen(lifecycle.value) },
      LIFECYCLE_VIEWS.map((view) => h('option', { value: view.value, selected: view === this.lifecycle }, view.label)));
    this.chooserSlot = h('span', { class: 'chooser-slot' });
    this.compareButton = h('button', { type: 'button', class: 'primary', onclick: () => this.compare() }, 'Compare');
    this.deleteButton = h('button', { type: 'button', class: 'danger', onclick: () => this.changeLifecycle('delete') },
      'Delete');
    this.restoreButton = h('button', { type: 'button', onclick: () => this.changeLifecycle('restore') }, 'Restore');
    this.selectionText = h('span', { class: 'muted', 'aria-live': 'polite' });
    this.errorSlot = h('div', { class: 'runs-error' });
    this.status = h('div', { class: 'status-line', role: 'status' });
    this.tableBox = h('div', { class: 'table-scroll runs-scroll', tabindex: '0', 'aria-label': 'Runs' });
    this.pagerView = pagerControls({
      what: 'Runs', pageSize: this.pageSize,
      onPageSize: (size) => { this.pageSize = size; this.pager.reset(); this.load(); },
      onPrevious: () => { if (this.pager.previous()) this.load(); },
      onNext: () => { if (this.pager.next()) this.load(); },
    });
    this.view.append(experimentHeader(this.experiment, 'runs'), filterForm,
      h('div', { class: 'toolbar' }, h('label', {}, 'Show', lifecycle), this.chooserSlot, this.selectionText,
        h('span', { class: 'grow' }), this.compareButton, this.deleteButton, this.restoreButton),
      this.errorSlot, this.status, this.tableBox, this.pagerView.element);
    return this.load();
  }

  saveUrl() {
    const sorted = this.sort.key !== DEFAULT_ORDER.key || this.sort.ascending !== DEFAULT_ORDER.ascending;
    replaceQuery(this.route.path, {
      searchFilter: this.filter.trim(),
      orderByKey: sorted ? this.sort.key : undefined,
      orderByAsc: sorted ? String(this.sort.ascending) : undefined,
      lifecycleFilter: this.lifecycle === LIFECYCLE_VIEWS[0] ? undefined : this.lifecycle.value,
    });
  }

  restart() {
    this.pager.reset();
    this.saveUrl();
    return this.load();
  }

  filterChosen(text) {
    this.filter = text;
    return this.restart();
  }

  lifecycleChosen(value) {
    this.lifecycle = lifecycleView(value);
    this.selection.clear();
    return this.restart();
  }

  sortBy(orderKey) {
    this.sort = orderKey === this.sort.key
      ? { key: orderKey, ascending: !this.sort.ascending }
      : { key: orderKey, ascending: orderKey === 'attributes.start_time' ? false : true };
    return this.restart();
  }

  async load() {
    const count = ++this.loadCount;
    let answer;
    try {
      answer = await post('runs/search', {
        experiment_ids: [this.experiment.experiment_id],
        filter: this.filter.trim() || undefined,
        run_view_type: this.lifecycle.viewType,
        max_results: this.pageSize,
        order_by: [`${this.sort.key} ${this.sort.ascending ? 'ASC' : 'DESC'}`],
        page_token: this.pager.token,
      });
    } catch (error) {
      if (count !== this.loadCount || !this.route.isCurrent()) return;
      // A filter the server refuses (INVALID_PARAMETER_VALUE) is shown here; the controls stay usable.
      clear(this.errorSlot).append(errorBox(error));
      this.runs = [];
      this.pager.received(undefined);
      this.draw();
      return;
    }
    if (count !== this.loadCount || !this.route.isCurrent()) return;
    clear(this.errorSlot);
    this.runs = answer.runs || [];
    if (this.runs.length === 0 && this.pager.previous()) return this.load();
    this.pager.received(answer.next_page_token);
    this.seen.add(this.runs);
    if (!this.chosen && this.runs.length > 0) this.chosen = new Set(defaultColumnIds(this.runs));
    this.draw();
    this.tableBox.scrollTop = 0;
  }

  draw() {
    const chosen = this.chosen || new Set();
    const table = runsTable({
      runs: this.runs, columns: chosenColumns(this.seen, chosen), sort: this.sort, selection: this.selection,
      collapsed: this.collapsed, experimentId: this.experiment.experiment_id,
    }, {
      sort: (orderKey) => this.sortBy(orderKey),
      select: (ids, checked) => this.select(ids, checked),
      toggle: (runId) => this.toggle(runId),
    });
    // Redrawing must not jump the table's scroll box back to its corner (a checkbox click, a column choice).
    const { scrollLeft, scrollTop } = this.tableBox;
    clear(this.tableBox).append(table);
    Object.assign(this.tableBox, { scrollLeft, scrollTop });
    this.drawChooser();
    this.pagerView.update(this.pager, this.runs.length);
    this.drawSelection();
  }

  drawChooser() {
    const open = this.chooserSlot.querySelector('details')?.open;
    const chooser = columnChooser(this.seen, this.chosen || new Set(), (id, checked) => {
      if (!this.chosen) this.chosen = new Set();
      if (checked) this.chosen.add(id);
      else this.chosen.delete(id);
      this.draw();
    });
    chooser.open = Boolean(open);
    const focused = document.activeElement?.dataset?.column;
    clear(this.chooserSlot).append(chooser);
    if (focused) chooser.querySelector(`[data-column="${CSS.escape(focused)}"]`)?.focus();
  }

  drawSelection() {
    const count = this.selection.size;
    this.selectionText.textContent = count ? `${count} selected` : '';
    this.compareButton.disabled = count < 2;
    this.deleteButton.disabled = count === 0;
    this.restoreButton.disabled = count === 0;
    this.deleteButton.hidden = this.lifecycle.viewType === 'DELETED_ONLY';
    this.restoreButton.hidden = this.lifecycle.viewType === 'ACTIVE_ONLY';
  }

  select(ids, checked) {
    ids.forEach((id) => (checked ? this.selection.add(id) : this.selection.delete(id)));
    const focusedId = document.activeElement?.closest?.('tr')?.dataset?.runId;
    this.draw();
    const target = focusedId
      ? this.tableBox.querySelector(`tr[data-run-id="${CSS.escape(focusedId)}"] input[type="checkbox"]`)
      : this.tableBox.querySelector('thead input[type="checkbox"]');
    target?.focus();
  }

  toggle(runId) {
    if (this.collapsed.has(runId)) this.collapsed.delete(runId);
    else this.collapsed.add(runId);
    this.draw();
    this.tableBox.querySelector(`tr[data-run-id="${CSS.escape(runId)}"] .nest-toggle`)?.focus();
  }

  compare() {
    this.route.navigate(hashLink('/compare-runs',
      { runs: [...this.selection], experiments: [this.experiment.experiment_id] }));
  }

  // Deletes or restores every selected run, those selected on other pages too.
  async changeLifecycle(action) {
    const ids = [...this.selection];
    if (ids.length === 0) return;
    const wantDeleted = action === 'delete';
    const noun = `${ids.length} run${ids.length === 1 ? '' : 's'}`;
    const confirmed = await confirmDialog({
      title: wantDeleted ? 'Delete runs' : 'Restore runs',
      message: wantDeleted ? `Delete ${noun}? They can be restored from the deleted view.` : `Restore ${noun}?`,
      confirmLabel: wantDeleted ? 'Delete' : 'Restore',
    });
    if (!confirmed) return;
    const results = await Promise.allSettled(ids.map((runId) => post(`runs/${action}`, { run_id: runId })));
    const failure = results.find((result) => result.status === 'rejected');
    this.selection.clear();
    clear(this.status).append(`${wantDeleted ? 'Deleted' : 'Restored'} ${noun}.`);
    await this.load();
    if (failure) this.errorSlot.append(errorBox(failure.reason));
  }
}

export default async function render(view, route) {
  const { experiment } = await get('experiments/get', { experiment_id: route.params.experimentId });
  if (!route.isCurrent()) return undefined;
  const page = new ExperimentRunsPage(view, route, experiment);
  await page.render();
  return undefined;
}
