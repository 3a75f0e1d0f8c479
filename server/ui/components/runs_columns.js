// The columns of the runs table: the fixed run attributes, then the metric, param and tag columns the user chose.
// A column knows its header, how to read its value from a run, and its order_by key (null: the server cannot sort
// by it).
import { formatDuration, formatNumber, formatTime, h } from '../lib/dom.js';

const MAX_DEFAULT_METRICS = 8;
const MAX_DEFAULT_PARAMS = 8;
const PARENT_TAG = 'mlflow.parentRunId';
const SOURCE_TAG = 'mlflow.source.name';

function tagValue(run, key) {
  const tag = (run.data?.tags || []).find((item) => item.key === key);
  return tag ? tag.value : undefined;
}

function entryValue(run, field, key) {
  const entry = (run.data?.[field] || []).find((item) => item.key === key);
  return entry ? entry.value : undefined;
}

export function runName(run) {
  return run.info.run_name || tagValue(run, 'mlflow.runName') || run.info.run_id;
}

export function parentRunId(run) {
  return tagValue(run, PARENT_TAG);
}

function duration(run) {
  const { start_time: start, end_time: end } = run.info;
  if (!start || !end) return '';
  return formatDuration(Number(end) - Number(start));
}

// A source is shown by its last path part, as the official UI does; the cell's title holds all of it.
function sourceText(run) {
  const source = tagValue(run, SOURCE_TAG) || '';
  return source.split(/[\\/]/).pop();
}

// A backtick-quoted key, as order_by expects keys that may hold dots or spaces.
const quoted = (key) => `\`${key}\``;

export const ATTRIBUTE_COLUMNS = [
  { id: 'name', title: 'Run Name', orderKey: 'attributes.run_name', text: runName },
  { id: 'created', title: 'Created', orderKey: 'attributes.start_time',
    text: (run) => formatTime(run.info.start_time) },
  { id: 'duration', title: 'Duration', orderKey: null, text: duration },
  { id: 'status', title: 'Status', orderKey: 'attributes.status', text: (run) => run.info.status },
  { id: 'user', title: 'User', orderKey: 'attributes.user_id', text: (run) => run.info.user_id || '' },
  { id: 'source', title: 'Source', orderKey: `tags.${quoted(SOURCE_TAG)}`, text: sourceText,
    tooltip: (run) => tagValue(run, SOURCE_TAG) },
];

const KINDS = {
  metric: { field: 'metrics', prefix: 'metrics', numeric: true, format: formatNumber },
  param: { field: 'params', prefix: 'params', numeric: false, format: (value) => value ?? '' },
  tag: { field: 'tags', prefix: 'tags', numeric: false, format: (value) => value ?? '' },
};

// The column of a metric, param or tag key.
export function dataColumn(kind, key) {
  const { field, prefix, numeric, format } = KINDS[kind];
  return {
    id: `${kind}:${key}`, kind, key, title: key, numeric, orderKey: `${prefix}.${quoted(key)}`,
    text: (run) => format(entryValue(run, field, key)),
  };
}

// The keys seen so far, by kind; they only grow while the page is open so chosen columns do not vanish.
export class SeenKeys {
  constructor() {
    this.keys = { metric: new Set(), param: new Set(), tag: new Set() };
  }

  add(runs) {
    for (const run of runs) {
      (run.data?.metrics || []).forEach((item) => this.keys.metric.add(item.key));
      (run.data?.params || []).forEach((item) => this.keys.param.add(item.key));
      // The system tags (mlflow.*) are shown by the fixed columns or not meant as columns.
      (run.data?.tags || []).filter((item) => !item.key.startsWith('mlflow.'))
        .forEach((item) => this.keys.tag.add(item.key));
    }
  }

  sorted(kind) {
    return [...this.keys[kind]].sort((a, b) => a.localeCompare(b));
  }
}

// The default columns for a first page: its metrics and params, a few of each so the table stays readable.
export function defaultColumnIds(runs) {
  const first = new SeenKeys();
  first.add(runs);
  return [
    ...first.sorted('metric').slice(0, MAX_DEFAULT_METRICS).map((key) => `metric:${key}`),
    ...first.sorted('param').slice(0, MAX_DEFAULT_PARAMS).map((key) => `param:${key}`),
  ];
}

// The chosen data columns, in chooser order (metrics, params, tags; by key).
export function chosenColumns(seen, chosenIds) {
  const columns = [];
  for (const kind of ['metric', 'param', 'tag']) {
    for (const key of seen.sorted(kind)) {
      if (chosenIds.has(`${kind}:${key}`)) columns.push(dataColumn(kind, key));
    }
  }
  return columns;
}

const GROUP_TITLES = { metric: 'Metrics', param: 'Parameters', tag: 'Tags' };

// The column chooser: a disclosure listing every key seen, one checkbox a key. onChange(id, checked).
// `kinds` and `emptyText` let other tables (logged models: metrics and params, no tags) use it too.
export function columnChooser(seen, chosenIds, onChange,
  { kinds = ['metric', 'param', 'tag'], emptyText = 'None in the loaded runs' } = {}) {
  const groups = kinds.map((kind) => {
    const keys = seen.sorted(kind);
    return h('fieldset', { class: 'column-group' },
      h('legend', {}, GROUP_TITLES[kind]),
      keys.length === 0 ? h('span', { class: 'muted' }, emptyText) : null,
      keys.map((key) => {
        const id = `${kind}:${key}`;
        return h('label', {}, h('input', { type: 'checkbox', checked: chosenIds.has(id), dataset: { column: id },
          onchange: (event) => onChange(id, event.target.checked) }), key);
      }));
  });
  return h('details', { class: 'column-chooser' },
    h('summary', { class: 'button' }, `Columns (${chosenIds.size})`),
    h('div', { class: 'column-chooser-body' }, groups));
}
