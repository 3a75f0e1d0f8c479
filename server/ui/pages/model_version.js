// A model version (#/models/<name>/versions/<n>): stage (with transitions), aliases, tags, description, source and
// its run, status, and the model's signature read from the version's MLmodel file.
import { del, get, modelVersionArtifactUrl, patch, post } from '../lib/api.js';
import { errorBox, formatTime, h, loadingBox, setTitle } from '../lib/dom.js';
import { parseSignature, signatureTables } from '../components/artifact_schema.js';
import { aliasesEditor } from '../components/registry_aliases.js';
import { modelPath, runLinks } from '../components/registry_links.js';
import { descriptionEditor } from '../components/run_description.js';
import { tagsEditor } from '../components/run_tags.js';

const STAGES = ['None', 'Staging', 'Production', 'Archived'];

function stageControl(version, route) {
  const select = h('select', { 'aria-label': 'New stage' },
    STAGES.map((stage) => h('option', { value: stage, selected: stage === version.current_stage }, stage)));
  const archive = h('input', { type: 'checkbox' });
  const message = h('div');
  const onsubmit = async (event) => {
    event.preventDefault();
    message.replaceChildren();
    try {
      await post('model-versions/transition-stage', { name: version.name, version: String(version.version),
        stage: select.value, archive_existing_versions: archive.checked });
      route.navigate(window.location.hash, { replace: true });
    } catch (error) {
      message.replaceChildren(errorBox(error));
    }
  };
  return h('div', {}, h('form', { class: 'toolbar stage-form', onsubmit }, select,
    h('label', {}, archive, 'Archive the versions now in that stage'),
    h('button', { type: 'submit' }, 'Transition')), message);
}

// The signature from the version's MLmodel, or a note when the version has none (or its files are not readable).
function schemaSection(version) {
  const body = h('div', {}, loadingBox('Reading the model…'));
  const url = modelVersionArtifactUrl(version.name, version.version, 'MLmodel');
  fetch(url, { credentials: 'same-origin' })
    .then((response) => (response.ok ? response.text() : null))
    .then((text) => body.replaceChildren(text === null
      ? h('p', { class: 'muted' }, 'The version has no MLmodel file to read a schema from.')
      : signatureTables(parseSignature(text))))
    .catch((error) => body.replaceChildren(errorBox(error)));
  return h('section', { 'aria-label': 'Schema' }, h('h2', {}, 'Schema'), body);
}

function facts(version, runLink, route) {
  const rows = [
    ['Registered at', formatTime(version.creation_timestamp)],
    ['Last modified', formatTime(version.last_updated_timestamp)],
    ['Creator', version.user_id || ''],
    ['Stage', h('div', {}, h('span', { class: `stage stage-${version.current_stage}` }, version.current_stage),
      stageControl(version, route))],
    ['Status', h('span', {}, version.status || '', version.status_message ? ` (${version.status_message})` : '')],
    ['Source', h('span', { class: 'mono' }, version.source || '')],
    ['Source run', runLink || ''],
  ];
  return h('dl', { class: 'facts version-facts' }, rows.filter(([, value]) => value !== '')
    .flatMap(([name, value]) => [h('dt', {}, name), h('dd', {}, value)]));
}

export default async function render(view, route) {
  const { name, version: number } = route.params;
  setTitle(`${name} v${number}`);
  const [{ model_version: version }, { registered_model: model }] = await Promise.all([
    get('model-versions/get', { name, version: number }),
    get('registered-models/get', { name }),
  ]);
  const linkRun = await runLinks([version.run_id]);
  const key = { name: version.name, version: String(version.version) };
  view.append(
    h('nav', { class: 'breadcrumb', 'aria-label': 'Breadcrumb' }, h('a', { href: '#/models' }, 'Registered models'),
      ' › ', h('a', { href: modelPath(version.name) }, version.name)),
    h('h1', {}, `${version.name} — Version ${version.version}`),
    facts(version, version.run_id ? linkRun(version.run_id) : null, route),
    descriptionEditor({ text: version.description, label: 'version',
      save: (description) => patch('model-versions/update', { ...key, description }) }),
    aliasesEditor({ modelName: version.name, aliases: model.aliases || [], version: String(version.version) }),
    tagsEditor({ tags: version.tags || [], label: 'version',
      setTag: (tagKey, value) => post('model-versions/set-tag', { ...key, key: tagKey, value }),
      deleteTag: (tagKey) => del('model-versions/delete-tag', { ...key, key: tagKey }) }),
    schemaSection(version));
}
