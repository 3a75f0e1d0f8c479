// A registered model (#/models/<name>): description, tags, aliases, its versions, and deleting it.
import { allPages, del, get, patch, post } from '../lib/api.js';
import { errorBox, formatTime, h, setTitle } from '../lib/dom.js';
import { aliasesEditor } from '../components/registry_aliases.js';
import { runLinks, versionPath } from '../components/registry_links.js';
import { descriptionEditor } from '../components/run_description.js';
import { tagsEditor } from '../components/run_tags.js';

function searchVersions(name) {
  const filter = `name='${name.replace(/'/g, "''")}'`;
  return allPages((token) => get('model-versions/search', { filter, max_results: 200, page_token: token }),
    'model_versions');
}

// A version's aliases, from the model (model-versions/search answers versions without them).
function aliasesOf(model, version) {
  return (model.aliases || []).filter((entry) => String(entry.version) === String(version.version))
    .map((entry) => entry.alias);
}

function versionsTable(model, versions, linkRun) {
  const name = model.name;
  if (versions.length === 0) return h('p', { class: 'muted' }, 'No versions.');
  const sorted = [...versions].sort((a, b) => Number(b.version) - Number(a.version));
  const titles = ['Version', 'Stage', 'Status', 'Registered at', 'Source run', 'Aliases'];
  return h('div', { class: 'table-scroll' }, h('table', { class: 'grid versions', 'aria-label': 'Versions' },
    h('thead', {}, h('tr', {}, titles.map((title) => h('th', {}, title)))),
    h('tbody', {}, sorted.map((version) => h('tr', {},
      h('td', {}, h('a', { href: versionPath(name, version.version) }, `Version ${version.version}`)),
      h('td', {}, h('span', { class: `stage stage-${version.current_stage}` }, version.current_stage || 'None')),
      h('td', {}, version.status || ''),
      h('td', {}, formatTime(version.creation_timestamp)),
      h('td', {}, version.run_id ? linkRun(version.run_id) : ''),
      h('td', {}, aliasesOf(model, version).map((alias) => h('span', { class: 'tag' }, `@${alias}`))))))));
}

// The delete button, asking for confirmation in place before deleting the model and its versions.
function deleteControl(name, versionCount, route) {
  const box = h('div', { class: 'danger-zone' });
  const ask = () => {
    const message = h('div');
    const confirm = h('button', { type: 'button', class: 'danger', onclick: async () => {
      confirm.disabled = true;
      try {
        await del('registered-models/delete', { name });
        route.navigate('#/models');
      } catch (error) {
        confirm.disabled = false;
        message.replaceChildren(errorBox(error));
      }
    } }, 'Delete');
    box.replaceChildren(h('div', { role: 'alertdialog', 'aria-label': 'Confirm deletion', class: 'confirm' },
      h('p', {}, `Delete the model ${name} and its ${versionCount} version${versionCount === 1 ? '' : 's'}? ` +
        'This cannot be undone.'),
      h('div', { class: 'toolbar' }, confirm, h('button', { type: 'button', onclick: idle }, 'Cancel')), message));
    confirm.focus();
  };
  const idle = () => box.replaceChildren(h('button', { type: 'button', class: 'danger', onclick: ask },
    'Delete model'));
  idle();
  return box;
}

export default async function render(view, route) {
  const { name } = route.params;
  setTitle(name);
  const [{ registered_model: model }, versions] = await Promise.all([
    get('registered-models/get', { name }),
    searchVersions(name),
  ]);
  const linkRun = await runLinks(versions.map((version) => version.run_id));
  view.append(
    h('nav', { class: 'breadcrumb', 'aria-label': 'Breadcrumb' }, h('a', { href: '#/models' }, 'Registered models')),
    h('div', { class: 'section-head' }, h('h1', {}, model.name), deleteControl(model.name, versions.length, route)),
    h('dl', { class: 'facts' },
      h('dt', {}, 'Created'), h('dd', {}, formatTime(model.creation_timestamp)),
      h('dt', {}, 'Last modified'), h('dd', {}, formatTime(model.last_updated_timestamp))),
    descriptionEditor({ text: model.description, label: 'model',
      save: (description) => patch('registered-models/update', { name: model.name, description }) }),
    tagsEditor({ tags: model.tags || [], label: 'model',
      setTag: (key, value) => post('registered-models/set-tag', { name: model.name, key, value }),
      deleteTag: (key) => del('registered-models/delete-tag', { name: model.name, key }) }),
    aliasesEditor({ modelName: model.name, aliases: model.aliases || [] }),
    h('section', { 'aria-label': 'Versions' }, h('h2', {}, `Versions (${versions.length})`),
      versionsTable(model, versions, linkRun)));
}
