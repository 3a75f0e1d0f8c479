// The header of an experiment's pages: breadcrumb, name, facts, description, and the tabs between its views (runs,
// MLflow 3 logged models) at the official UI's URLs: #/experiments/<id> and #/experiments/<id>/models.
import { h } from '../lib/dom.js';

const NOTE_TAG = 'mlflow.note.content';

const TABS = [
  { id: 'runs', title: 'Runs', path: (experimentId) => `/experiments/${encodeURIComponent(experimentId)}` },
  { id: 'models', title: 'Models', path: (experimentId) => `/experiments/${encodeURIComponent(experimentId)}/models` },
];

// Links rather than a WAI-ARIA tab list: each view has its own address, so the current one is marked as the page.
function experimentTabs(experimentId, activeTab) {
  return h('nav', { class: 'view-tabs', 'aria-label': 'Experiment views' },
    TABS.map((tab) => h('a', { href: `#${tab.path(experimentId)}`, 'aria-current': tab.id === activeTab ? 'page' : null,
      dataset: { tab: tab.id } }, tab.title)));
}

/**
 * @param {object} experiment the experiments/get answer's experiment
 * @param {'runs'|'models'} activeTab the view shown below the header
 */
export function experimentHeader(experiment, activeTab) {
  const note = (experiment.tags || []).find((tag) => tag.key === NOTE_TAG);
  return h('header', { class: 'experiment-header' },
    h('div', { class: 'breadcrumb' }, h('a', { href: '#/experiments' }, 'Experiments'), ' ›'),
    h('h1', {}, experiment.name,
      experiment.lifecycle_stage === 'deleted' ? h('span', { class: 'tag lifecycle-deleted' }, 'deleted') : null),
    h('dl', { class: 'facts' },
      h('dt', {}, 'Experiment ID'), h('dd', { class: 'mono' }, experiment.experiment_id),
      h('dt', {}, 'Artifact location'), h('dd', { class: 'mono' }, experiment.artifact_location || ''),
      note && note.value ? [h('dt', {}, 'Description'), h('dd', { class: 'description' }, note.value)] : null),
    experimentTabs(experiment.experiment_id, activeTab));
}
