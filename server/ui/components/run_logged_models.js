// The MLflow 3 logged models a run produced, each linking to its page. A server without logged models (2.x, or a
// database at MLflow 2.9's schema) answers the search with an error: the section then stays hidden, as there is
// nothing to show.
import { post } from '../lib/api.js';
import { formatTime, h } from '../lib/dom.js';
import { loggedModelPath, statusBadge } from './logged_model_parts.js';

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

function modelRow(experimentId, model) {
  const info = model.info || {};
  const modelHref = `#${loggedModelPath(info.experiment_id || experimentId, info.model_id)}`;
  return h('tr', { dataset: { modelId: info.model_id } },
    h('td', {}, h('a', { href: modelHref }, info.name || info.model_id)),
    h('td', { class: 'mono' }, info.model_id || ''),
    h('td', {}, info.model_type || ''),
    h('td', {}, statusBadge(info.status)),
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
        h('tbody', {}, models.map((model) => modelRow(experimentId, model))))));
    section.hidden = false;
  });
  return section;
}
