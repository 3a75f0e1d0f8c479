// The MLflow 3 logged models a run produced. A server without logged models (2.x, or a database at MLflow 2.9's
// schema) answers the search with an error: the section then stays hidden, as there is nothing to show.
import { post } from '../lib/api.js';
import { formatTime, h } from '../lib/dom.js';

// Logged-model states shown in the colours of the run states they resemble.
const STATUS_CLASSES = {
  LOGGED_MODEL_READY: 'status-FINISHED',
  LOGGED_MODEL_PENDING: 'status-RUNNING',
  LOGGED_MODEL_UPLOAD_FAILED: 'status-FAILED',
};

async function searchRunModels(experimentId, runId) {
  try {
    const answer = await post('logged-models/search', {
      experiment_ids: [experimentId],
      filter: `source_run_id='${runId}'`,
      max_results: 100,
    });
    return answer.models || [];
  } catch {
    return [];
  }
}

function modelRow(model) {
  const info = model.info || {};
  return h('tr', {},
    h('td', {}, info.name || ''),
    h('td', { class: 'mono' }, info.model_id || ''),
    h('td', {}, info.model_type || ''),
    h('td', { class: STATUS_CLASSES[info.status] || '' }, (info.status || '').replace(/^LOGGED_MODEL_/, '')),
    h('td', {}, formatTime(info.creation_timestamp_ms)));
}

// Fills `section` (initially hidden) with the run's logged models once they are known.
export function loggedModelsSection(experimentId, runId) {
  const section = h('section', { 'aria-label': 'Logged models', hidden: true });
  searchRunModels(experimentId, runId).then((models) => {
    if (models.length === 0) return;
    section.replaceChildren(h('h2', {}, `Logged models (${models.length})`),
      h('div', { class: 'table-scroll' }, h('table', { class: 'grid logged-models' },
        h('thead', {}, h('tr', {}, ['Name', 'Model id', 'Type', 'Status', 'Created'].map((title) =>
          h('th', {}, title)))),
        h('tbody', {}, models.map(modelRow)))));
    section.hidden = false;
  });
  return section;
}
