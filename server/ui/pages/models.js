// The registered models (#/models?searchInput=<text>): a name filter kept in the address, pages of models with
// their latest versions per stage, aliases and tags, and a form to register a new model.
import { get, post } from '../lib/api.js';
import { errorBox, formatTime, h, setTitle } from '../lib/dom.js';
import { modelPath, versionPath } from '../components/registry_links.js';

const PAGE_SIZE = 25;
const STAGES = ['Staging', 'Production'];

// The filter of registered-models/search for a name part, as the official UI writes it.
function nameFilter(text) {
  return text ? `name ILIKE '%${text.replace(/'/g, "''")}%'` : undefined;
}

function versionLink(model, version) {
  return version ? h('a', { href: versionPath(model.name, version.version) }, `Version ${version.version}`) : '';
}

function latestOverall(model) {
  return (model.latest_versions || []).reduce((best, version) =>
    (!best || Number(version.version) > Number(best.version) ? version : best), null);
}

function modelRow(model) {
  const byStage = new Map((model.latest_versions || []).map((version) => [version.current_stage, version]));
  const aliases = (model.aliases || []).map((entry) => h('a', { class: 'tag', href: versionPath(model.name,
    entry.version) }, `@${entry.alias}: v${entry.version}`));
  const tags = (model.tags || []).map((tag) => h('span', { class: 'tag' }, `${tag.key}: ${tag.value}`));
  return h('tr', {},
    h('td', {}, h('a', { href: modelPath(model.name) }, model.name)),
    h('td', {}, versionLink(model, latestOverall(model))),
    STAGES.map((stage) => h('td', {}, versionLink(model, byStage.get(stage)))),
    h('td', {}, aliases),
    h('td', {}, formatTime(model.last_updated_timestamp)),
    h('td', {}, tags));
}

function modelsTable(models) {
  if (models.length === 0) return h('p', { class: 'muted' }, 'No registered models.');
  const titles = ['Name', 'Latest version', ...STAGES, 'Aliases', 'Last modified', 'Tags'];
  return h('div', { class: 'table-scroll' }, h('table', { class: 'grid models', 'aria-label': 'Registered models' },
    h('thead', {}, h('tr', {}, titles.map((title) => h('th', {}, title)))),
    h('tbody', {}, models.map(modelRow))));
}

function createForm(route) {
  const name = h('input', { type: 'text', 'aria-label': 'Name of the new model', placeholder: 'New model name',
    required: true });
  const message = h('div');
  const onsubmit = async (event) => {
    event.preventDefault();
    message.replaceChildren();
    try {
      const answer = await post('registered-models/create', { name: name.value.trim() });
      route.navigate(modelPath(answer.registered_model.name));
    } catch (error) {
      message.replaceChildren(errorBox(error));
    }
  };
  return h('div', { class: 'create-model' }, h('form', { class: 'toolbar', onsubmit }, name,
    h('button', { type: 'submit', class: 'primary' }, 'Create model')), message);
}

export default async function render(view, route) {
  setTitle('Registered models');
  const searchText = route.query.get('searchInput') || '';
  const search = h('input', { type: 'search', class: 'grow', 'aria-label': 'Filter models by name',
    placeholder: 'Filter by name' });
  search.value = searchText;
  const onsubmit = (event) => {
    event.preventDefault();
    const text = search.value.trim();
    route.navigate(text ? `#/models?searchInput=${encodeURIComponent(text)}` : '#/models');
  };
  const results = h('div');
  const pager = h('div', { class: 'pager' });
  // Page tokens of the pages seen so far: tokens[i] opens page i (the first page needs none).
  const tokens = [undefined];
  let pageIndex = 0;

  const turn = (index) => showPage(index).catch((error) => results.replaceChildren(errorBox(error)));

  async function showPage(index) {
    const answer = await get('registered-models/search', { filter: nameFilter(searchText), max_results: PAGE_SIZE,
      page_token: tokens[index], order_by: 'name ASC' });
    if (!route.isCurrent()) return;
    pageIndex = index;
    tokens[index + 1] = answer.next_page_token;
    results.replaceChildren(modelsTable(answer.registered_models || []));
    const previous = h('button', { type: 'button', disabled: index === 0, onclick: () => turn(pageIndex - 1) },
      'Previous page');
    const next = h('button', { type: 'button', disabled: !answer.next_page_token,
      onclick: () => turn(pageIndex + 1) }, 'Next page');
    pager.replaceChildren(previous, h('span', { class: 'muted' }, `Page ${index + 1}`), next);
  }

  view.append(h('div', { class: 'section-head' }, h('h1', {}, 'Registered models'), createForm(route)),
    h('form', { class: 'toolbar', role: 'search', onsubmit }, search, h('button', { type: 'submit' }, 'Search')),
    results, pager);
  await showPage(0);
}
