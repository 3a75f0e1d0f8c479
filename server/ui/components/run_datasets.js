// A run's dataset inputs (run.inputs.dataset_inputs): name, digest, source type and context, with the dataset's
// schema, profile and source expandable.
import { h } from '../lib/dom.js';

const CONTEXT_TAG = 'mlflow.data.context';

function prettyJson(text) {
  try { return JSON.stringify(JSON.parse(text), null, 2); } catch { return text; }
}

function details(summary, text) {
  if (!text) return null;
  return h('details', {}, h('summary', {}, summary), h('pre', {}, prettyJson(text)));
}

function datasetRow(input) {
  const dataset = input.dataset || {};
  const context = (input.tags || []).find((tag) => tag.key === CONTEXT_TAG);
  return h('tr', {},
    h('td', {}, dataset.name || ''),
    h('td', { class: 'mono' }, dataset.digest || ''),
    h('td', {}, dataset.source_type || ''),
    h('td', {}, context ? h('span', { class: 'tag' }, context.value) : ''),
    h('td', { class: 'wrap' }, details('Source', dataset.source), details('Schema', dataset.schema),
      details('Profile', dataset.profile)));
}

// The section, or null when the run has no dataset inputs.
export function datasetsSection(inputs) {
  const list = (inputs && inputs.dataset_inputs) || [];
  if (list.length === 0) return null;
  return h('section', { 'aria-label': 'Datasets' }, h('h2', {}, `Datasets (${list.length})`),
    h('div', { class: 'table-scroll' }, h('table', { class: 'grid datasets' },
      h('thead', {}, h('tr', {}, ['Name', 'Digest', 'Source type', 'Context', 'Details'].map((title) =>
        h('th', {}, title)))),
      h('tbody', {}, list.map(datasetRow)))));
}
