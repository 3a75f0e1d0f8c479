// The runs table of an experiment: a selection checkbox, the attribute columns and the chosen data columns; headers
// of sortable columns are buttons that ask for a server-side order; nested runs sit indented under their parent.
import { h, hashLink } from '../lib/dom.js';
import { ATTRIBUTE_COLUMNS, runName } from './runs_columns.js';
import { nestRuns, visibleRows } from './runs_nesting.js';

const INDENT_PX = 20;

function ariaSort(column, sort) {
  if (!column.orderKey) return undefined;
  if (column.orderKey !== sort.key) return 'none';
  return sort.ascending ? 'ascending' : 'descending';
}

function headerCell(column, sort, onSort) {
  const state = ariaSort(column, sort);
  const className = column.numeric ? 'number' : undefined;
  if (!state) return h('th', { scope: 'col', class: className }, column.title);
  const arrow = state === 'ascending' ? '▲' : state === 'descending' ? '▼' : '';
  const kind = column.kind ? ` (${column.kind})` : '';
  return h('th', { scope: 'col', class: className, 'aria-sort': state, dataset: { orderKey: column.orderKey } },
    h('button', { type: 'button', class: 'sort-button', title: `Sort by ${column.title}${kind}`,
      onclick: () => onSort(column.orderKey) },
    column.title, h('span', { class: 'sort-arrow', 'aria-hidden': 'true' }, arrow)));
}

function nameCell(row, experimentId, collapsed, onToggle) {
  const { run, depth, childCount } = row;
  const id = run.info.run_id;
  const name = runName(run);
  const isCollapsed = collapsed.has(id);
  const toggle = childCount > 0
    ? h('button', { type: 'button', class: 'nest-toggle', 'aria-expanded': String(!isCollapsed),
      'aria-label': `${isCollapsed ? 'Show' : 'Hide'} ${childCount} child run${childCount === 1 ? '' : 's'} of ${name}`,
      onclick: () => onToggle(id) }, isCollapsed ? '▸' : '▾')
    : h('span', { class: 'nest-spacer', 'aria-hidden': 'true' });
  const href = hashLink(`/experiments/${encodeURIComponent(experimentId)}/runs/${encodeURIComponent(id)}`);
  const link = h('a', { href }, name);
  return h('td', { class: 'run-name', style: { paddingLeft: `${8 + depth * INDENT_PX}px` } }, toggle, link,
    childCount > 0 && isCollapsed ? h('span', { class: 'muted child-count' }, ` (${childCount})`) : null);
}

function statusCell(run) {
  const status = run.info.status || '';
  return h('td', {}, h('span', { class: `run-status status-${status}` }, status));
}

function dataCell(column, run) {
  const text = column.text(run);
  return h('td', { class: column.numeric ? 'number' : undefined, title: column.tooltip?.(run) || undefined }, text);
}

// Renders the table. `state`: { runs, columns (data columns), sort {key, ascending}, selection (Set of run ids),
// collapsed (Set of parent run ids), experimentId }; `on`: { sort(orderKey), select(ids, checked), toggle(runId) }.
export function runsTable(state, on) {
  const { runs, columns, sort, selection, collapsed, experimentId } = state;
  const rows = visibleRows(nestRuns(runs), collapsed);
  const pageIds = runs.map((run) => run.info.run_id);
  const selectedOnPage = pageIds.filter((id) => selection.has(id)).length;
  const selectAll = h('input', { type: 'checkbox', 'aria-label': 'Select all runs on this page',
    checked: pageIds.length > 0 && selectedOnPage === pageIds.length, disabled: pageIds.length === 0,
    onchange: (event) => on.select(pageIds, event.target.checked) });
  selectAll.indeterminate = selectedOnPage > 0 && selectedOnPage < pageIds.length;
  const allColumns = [...ATTRIBUTE_COLUMNS, ...columns];
  const head = h('thead', {}, h('tr', {},
    h('th', { scope: 'col', class: 'select-cell' }, selectAll),
    allColumns.map((column) => headerCell(column, sort, on.sort))));
  const body = h('tbody', {}, rows.map((row) => {
    const { run } = row;
    const id = run.info.run_id;
    const cells = ATTRIBUTE_COLUMNS.map((column) => {
      if (column.id === 'name') return nameCell(row, experimentId, collapsed, on.toggle);
      if (column.id === 'status') return statusCell(run);
      return dataCell(column, run);
    });
    const deleted = run.info.lifecycle_stage === 'deleted';
    return h('tr', { dataset: { runId: id, depth: row.depth }, class: deleted ? 'deleted' : undefined },
      h('td', { class: 'select-cell' }, h('input', { type: 'checkbox', checked: selection.has(id),
        'aria-label': `Select run ${runName(run)}`, onchange: (event) => on.select([id], event.target.checked) })),
      cells, columns.map((column) => dataCell(column, run)));
  }));
  if (rows.length === 0) {
    body.append(h('tr', {}, h('td', { colspan: allColumns.length + 1, class: 'muted' }, 'No runs.')));
  }
  return h('table', { class: 'grid runs-table' }, head, body);
}
