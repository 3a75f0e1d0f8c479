// The run page (#/experiments/<id>/runs/<run_id>[/artifactPath/<path>]): the run's facts, description, params,
// latest metrics (each linking to its chart), tags, dataset inputs, logged models and artifacts.
import { artifactUrl, get, post } from '../lib/api.js';
import { formatDuration, formatNumber, formatTime, h, hashLink, setTitle } from '../lib/dom.js';
import { artifactsSection } from '../components/artifacts_section.js';
import { datasetsSection } from '../components/run_datasets.js';
import { descriptionEditor } from '../components/run_description.js';
import { loggedModelsSection } from '../components/run_logged_models.js';
import { paramsSection } from '../components/params_section.js';
import { tagsEditor } from '../components/run_tags.js';

const NOTE_TAG = 'mlflow.note.content';

function tagMap(run) {
  return new Map(((run.data && run.data.tags) || []).map((tag) => [tag.key, tag.value]));
}

function runPath(experimentId, runId) {
  return `/experiments/${encodeURIComponent(experimentId)}/runs/${encodeURIComponent(runId)}`;
}

function sourceFact(tags) {
  const name = tags.get('mlflow.source.name');
  const commit = tags.get('mlflow.source.git.commit');
  if (!name && !commit) return null;
  return h('span', {}, name ? h('span', { class: 'mono' }, name) : null,
    commit ? h('span', { class: 'mono muted', title: commit }, ` @ ${commit.slice(0, 7)}`) : null);
}

function infoFacts(info, tags) {
  const end = info.end_time ? Number(info.end_time) : undefined;
  const start = info.start_time ? Number(info.start_time) : undefined;
  const duration = start === undefined ? '' : formatDuration((end ?? (info.status === 'RUNNING' ? Date.now() : start))
    - start);
  const parent = tags.get('mlflow.parentRunId');
  const facts = [
    ['Run ID', h('span', { class: 'mono' }, info.run_id)],
    ['Status', h('span', { class: `status-${info.status}` }, info.status)],
    ['Start time', formatTime(start)],
    ['End time', formatTime(end)],
    ['Duration', duration],
    ['User', info.user_id || tags.get('mlflow.user') || ''],
    ['Source', sourceFact(tags)],
    ['Parent run', parent ? h('a', { href: `#${runPath(info.experiment_id, parent)}`, class: 'mono' }, parent) : null],
    ['Lifecycle stage', info.lifecycle_stage],
    ['Artifact location', h('span', { class: 'mono' }, info.artifact_uri || '')],
  ];
  return h('dl', { class: 'facts run-facts' }, facts.filter(([, value]) => value !== null && value !== '')
    .flatMap(([name, value]) => [h('dt', {}, name), h('dd', {}, value)]));
}

function metricsSection(metrics, runId, experimentId) {
  const sorted = [...(metrics || [])].sort((a, b) => a.key.localeCompare(b.key));
  const link = (key) => hashLink('/metric', { runs: [runId], metric: key, experiments: [experimentId] });
  const body = sorted.length === 0 ? h('p', { class: 'muted' }, 'No metrics.') : h('div', { class: 'table-scroll' },
    h('table', { class: 'grid metrics' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Name'), h('th', { class: 'number' }, 'Value'),
        h('th', { class: 'number' }, 'Step'), h('th', {}, 'Logged at'))),
      h('tbody', {}, sorted.map((metric) => h('tr', {},
        h('td', {}, h('a', { href: link(metric.key), class: 'mono' }, metric.key)),
        h('td', { class: 'number' }, formatNumber(metric.value)),
        h('td', { class: 'number' }, metric.step ?? 0),
        h('td', {}, formatTime(metric.timestamp)))))));
  return h('section', { 'aria-label': 'Metrics' }, h('h2', {}, `Metrics (${sorted.length})`), body);
}

function runArtifactsSection(info, selectedPath) {
  return artifactsSection({
    list: async (path) => (await get('artifacts/list', { run_id: info.run_id, path: path || undefined })).files || [],
    fileUrl: (path) => artifactUrl(info.run_id, path),
    treeLabel: 'Artifacts',
    selectedPath,
    onSelect: (file) => {
      // The address names the selected file (to share or reload) without rendering the page again.
      const encoded = file.path.split('/').map(encodeURIComponent).join('/');
      history.replaceState(null, '', `#${runPath(info.experiment_id, info.run_id)}/artifactPath/${encoded}`);
    },
  });
}

export default async function render(view, route) {
  const { experimentId, runId, artifactPath } = route.params;
  const [{ run }, experiment] = await Promise.all([
    get('runs/get', { run_id: runId }),
    get('experiments/get', { experiment_id: experimentId }).then((answer) => answer.experiment, () => null),
  ]);
  const info = run.info;
  const tags = tagMap(run);
  const name = info.run_name || tags.get('mlflow.runName') || info.run_id;
  setTitle(name);
  const experimentName = experiment ? experiment.name : `Experiment ${info.experiment_id}`;
  const setTag = (key, value) => post('runs/set-tag', { run_id: info.run_id, key, value });
  const artifacts = runArtifactsSection(info, artifactPath);
  const sections = [
    h('nav', { class: 'breadcrumb', 'aria-label': 'Breadcrumb' },
      h('a', { href: '#/experiments' }, 'Experiments'), ' › ',
      h('a', { href: `#/experiments/${encodeURIComponent(info.experiment_id)}` }, experimentName)),
    h('h1', {}, name),
    info.lifecycle_stage === 'deleted'
      ? h('div', { class: 'deleted-banner', role: 'note' }, 'This run is deleted. Restore it from the experiment ' +
        'page to change it.')
      : null,
    infoFacts(info, tags),
    descriptionEditor({ text: tags.get(NOTE_TAG), label: 'run', save: (text) => setTag(NOTE_TAG, text) }),
    paramsSection(run.data && run.data.params),
    metricsSection(run.data && run.data.metrics, info.run_id, info.experiment_id),
    tagsEditor({ tags: (run.data && run.data.tags) || [], label: 'run', hideSystem: true, setTag,
      deleteTag: (key) => post('runs/delete-tag', { run_id: info.run_id, key }) }),
    datasetsSection(run.inputs),
    loggedModelsSection(info.experiment_id, info.run_id),
    artifacts.section,
  ];
  view.append(...sections.filter(Boolean));
  await artifacts.ready;
}
