// A logged model's page (#/experiments/<id>/models/<model_id>[/<tabName>], MLflow 3), from logged-models/<model_id>:
// the Overview tab shows its facts (status, source run, times, type, artifact location, registered versions), its
// description, metrics (with step, dataset and the run that logged them), params, tags and the runs linked to it;
// the Artifacts tab lists the model's artifacts (logged-models/<id>/artifacts/directories) with the run page's tree
// and previews (files from logged-models/<id>/artifacts/files). Tabs of the official UI this UI lacks (traces,
// evaluations) show the overview.
import { del, get, loggedModelArtifactUrl, patch } from '../lib/api.js';
import { formatNumber, formatTime, h, setTitle } from '../lib/dom.js';
import { artifactsSection } from '../components/artifacts_section.js';
import {
  loggedModelPath, modelTag, registeredVersionLinks, runPath, statusBadge,
} from '../components/logged_model_parts.js';
import { descriptionEditor } from '../components/run_description.js';
import { paramsSection } from '../components/params_section.js';
import { tagsEditor } from '../components/run_tags.js';

const NOTE_TAG = 'mlflow.note.content';
const TABS = [
  { name: undefined, title: 'Overview' },
  { name: 'artifacts', title: 'Artifacts' },
];

function modelTabs(experimentId, modelId, activeTab) {
  return h('nav', { class: 'view-tabs', 'aria-label': 'Logged model views' },
    TABS.map((tab) => h('a', { href: `#${loggedModelPath(experimentId, modelId, tab.name)}`,
      'aria-current': tab === activeTab ? 'page' : null, dataset: { tab: tab.name || 'overview' } }, tab.title)));
}

function runLink(experimentId, runId, runNames) {
  return h('a', { href: `#${runPath(experimentId, runId)}`, class: 'run-link', title: runId },
    runNames.get(runId) || runId);
}

function infoFacts(info, runNames, versionLinks) {
  const facts = [
    ['Model ID', h('span', { class: 'mono' }, info.model_id)],
    ['Status', statusBadge(info.status)],
    ['Status message', info.status_message || null],
    ['Source run', info.source_run_id ? runLink(info.experiment_id, info.source_run_id, runNames) : null],
    ['Created at', formatTime(info.creation_timestamp_ms)],
    ['Last modified', formatTime(info.last_updated_timestamp_ms)],
    ['Model type', info.model_type || null],
    ['Artifact location', h('span', { class: 'mono' }, info.artifact_uri || '')],
    ['Model versions', versionLinks.length ? h('span', { class: 'link-list' }, versionLinks) : null],
  ];
  return h('dl', { class: 'facts run-facts model-facts' }, facts.filter(([, value]) => value !== null && value !== '')
    .flatMap(([name, value]) => [h('dt', {}, name), h('dd', {}, value)]));
}

function metricsSection(model, runNames) {
  const info = model.info;
  const metrics = [...(model.data?.metrics || [])].sort((a, b) => a.key.localeCompare(b.key) ||
    (a.dataset_name || '').localeCompare(b.dataset_name || '') || Number(a.step || 0) - Number(b.step || 0));
  const body = metrics.length === 0 ? h('p', { class: 'muted' }, 'No metrics recorded.') : h('div',
    { class: 'table-scroll' }, h('table', { class: 'grid metrics' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Metric'), h('th', { class: 'number' }, 'Value'),
        h('th', { class: 'number' }, 'Step'), h('th', {}, 'Dataset'), h('th', {}, 'Source run'),
        h('th', {}, 'Logged at'))),
      h('tbody', {}, metrics.map((metric) => h('tr', {},
        h('td', { class: 'mono' }, metric.key),
        h('td', { class: 'number' }, formatNumber(metric.value)),
        h('td', { class: 'number' }, metric.step ?? 0),
        h('td', {}, metric.dataset_name
          ? h('span', { title: metric.dataset_digest ? `digest ${metric.dataset_digest}` : null }, metric.dataset_name,
            metric.dataset_digest ? h('span', { class: 'muted' }, ` (#${metric.dataset_digest})`) : null)
          : ''),
        h('td', {}, metric.run_id ? runLink(info.experiment_id, metric.run_id, runNames) : ''),
        h('td', {}, formatTime(metric.timestamp)))))));
  return h('section', { 'aria-label': 'Metrics' }, h('h2', {}, `Metrics (${metrics.length})`), body);
}

// The runs linked to the model: the run that logged it and those that logged metrics to it.
function linkedRunIds(model) {
  const roles = new Map();
  const add = (runId, role) => {
    if (!runId) return;
    if (!roles.has(runId)) roles.set(runId, new Set());
    roles.get(runId).add(role);
  };
  add(model.info.source_run_id, 'Source run');
  (model.data?.metrics || []).forEach((metric) => add(metric.run_id, 'Logged metrics'));
  return roles;
}

function runsSection(model, runNames) {
  const roles = linkedRunIds(model);
  const body = roles.size === 0 ? h('p', { class: 'muted' }, 'No linked runs.') : h('div', { class: 'table-scroll' },
    h('table', { class: 'grid linked-runs' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Run'), h('th', {}, 'Run ID'), h('th', {}, 'Linked as'))),
      h('tbody', {}, [...roles].map(([runId, linkedAs]) => h('tr', {},
        h('td', {}, runLink(model.info.experiment_id, runId, runNames)),
        h('td', { class: 'mono' }, runId),
        h('td', {}, [...linkedAs].join(', ')))))));
  return h('section', { 'aria-label': 'Runs' }, h('h2', {}, `Runs (${roles.size})`), body);
}

// Run names for the links; a run that cannot be read (deleted for good, no permission) is shown by its id.
async function readRunNames(runIds) {
  const names = new Map();
  await Promise.all(runIds.map(async (runId) => {
    try {
      const { run } = await get('runs/get', { run_id: runId });
      names.set(runId, run.info.run_name || runId);
    } catch { /* the id stands in for the name */ }
  }));
  return names;
}

function overview(model, runNames) {
  const info = model.info;
  const modelUrlPath = `logged-models/${encodeURIComponent(info.model_id)}`;
  const setTag = (key, value) => patch(`${modelUrlPath}/tags`, { tags: [{ key, value }] });
  return [
    infoFacts(info, runNames, registeredVersionLinks(model)),
    descriptionEditor({ text: modelTag(model, NOTE_TAG), label: 'logged model',
      save: (text) => setTag(NOTE_TAG, text) }),
    metricsSection(model, runNames),
    paramsSection(model.data?.params),
    tagsEditor({ tags: info.tags || [], label: 'logged model', hideSystem: true, setTag,
      deleteTag: (key) => del(`${modelUrlPath}/tags/${encodeURIComponent(key)}`) }),
    runsSection(model, runNames),
  ];
}

function modelArtifactsSection(info) {
  return artifactsSection({
    list: async (path) => (await get(`logged-models/${encodeURIComponent(info.model_id)}/artifacts/directories`,
      { artifact_directory_path: path || undefined })).files || [],
    fileUrl: (path) => loggedModelArtifactUrl(info.model_id, path),
    treeLabel: 'Artifacts of the logged model',
  });
}

export default async function render(view, route) {
  const { experimentId, loggedModelId, tabName } = route.params;
  const [{ model }, experiment] = await Promise.all([
    get(`logged-models/${encodeURIComponent(loggedModelId)}`),
    get('experiments/get', { experiment_id: experimentId }).then((answer) => answer.experiment, () => null),
  ]);
  if (!route.isCurrent()) return;
  const info = model.info;
  const activeTab = TABS.find((tab) => tab.name === tabName) || TABS[0];
  setTitle(info.name || info.model_id);
  const modelExperimentId = info.experiment_id || experimentId;
  const experimentName = experiment ? experiment.name : `Experiment ${modelExperimentId}`;
  const experimentPath = `/experiments/${encodeURIComponent(modelExperimentId)}`;
  const header = [
    h('nav', { class: 'breadcrumb', 'aria-label': 'Breadcrumb' },
      h('a', { href: '#/experiments' }, 'Experiments'), ' › ',
      h('a', { href: `#${experimentPath}` }, experimentName), ' › ',
      h('a', { href: `#${experimentPath}/models` }, 'Models')),
    h('h1', {}, info.name || info.model_id),
    modelTabs(modelExperimentId, info.model_id, activeTab),
  ];
  if (activeTab.name === 'artifacts') {
    const artifacts = modelArtifactsSection(info);
    view.append(...header, artifacts.section);
    await artifacts.ready;
    return;
  }
  const unknownTab = tabName && !TABS.some((tab) => tab.name === tabName)
    ? h('p', { class: 'muted', role: 'note' },
      `This UI has no "${tabName}" view of logged models: the overview is shown.`)
    : null;
  const runNames = await readRunNames([...linkedRunIds(model).keys()]);
  if (!route.isCurrent()) return;
  view.append(...header, ...[unknownTab].filter(Boolean), ...overview(model, runNames));
}
