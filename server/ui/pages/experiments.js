// The experiments list (#/ and #/experiments): name search, active/deleted/all view, create, rename, delete and
// restore, server-side paging. The typed search and the view are kept in the URL (?search=...&lifecycleFilter=...).
import { get, post } from '../lib/api.js';
import { clear, errorBox, formatTime, h, hashLink, setTitle } from '../lib/dom.js';
import { confirmDialog } from '../components/experiment_confirm.js';
import { experimentCreateForm, experimentRenameForm } from '../components/experiment_forms.js';
import { TokenPager, pagerControls } from '../components/runs_pager.js';
import { LIFECYCLE_VIEWS, lifecycleView, replaceQuery } from '../components/runs_url.js';

const SEARCH_DELAY_MS = 250;

// The search filter for a typed name part. A filter string cannot escape its own quote, so the other quote is used
// when the text holds one (and a text holding both loses its double quotes).
export function nameFilter(text) {
  const value = text.trim();
  if (!value) return undefined;
  if (!value.includes("'")) return `name ILIKE '%${value}%'`;
  return `name ILIKE "%${value.replaceAll('"', '')}%"`;
}

class ExperimentsPage {
  constructor(view, route) {
    this.view = view;
    this.route = route;
    this.search = route.query.get('search') || '';
    this.lifecycle = lifecycleView(route.query.get('lifecycleFilter'));
    this.pageSize = 25;
    this.pager = new TokenPager();
    this.loadCount = 0;
    this.searchTimer = null;
  }

  render() {
    setTitle('Experiments');
    const searchBox = h('input', {
      type: 'search', class: 'grow', value: this.search, 'aria-label': 'Search experiments by name',
      placeholder: 'Search experiments by name', oninput: () => this.searchTyped(searchBox.value),
      onkeydown: (event) => { if (event.key === 'Enter') this.searchTyped(searchBox.value, 0); },
    });
    const lifecycle = h('select', { 'aria-label': 'Experiments to show',
      onchange: () => this.lifecycleChosen(lifecycle.value) },
      LIFECYCLE_VIEWS.map((view) => h('option', { value: view.value, selected: view === this.lifecycle }, view.label)));
    this.createPanel = h('div', { class: 'create-slot' });
    this.status = h('div', { class: 'status-line', role: 'status' });
    this.errorSlot = h('div');
    this.body = h('tbody');
    this.pagerView = pagerControls({
      what: 'Experiments', pageSize: this.pageSize,
      onPageSize: (size) => { this.pageSize = size; this.pager.reset(); this.load(); },
      onPrevious: () => { if (this.pager.previous()) this.load(); },
      onNext: () => { if (this.pager.next()) this.load(); },
    });
    this.view.append(
      h('h1', {}, 'Experiments'),
      h('div', { class: 'toolbar' }, searchBox, h('label', {}, 'Show', lifecycle),
        h('button', { type: 'button', class: 'primary', onclick: () => this.openCreate() }, 'New experiment')),
      this.createPanel, this.status, this.errorSlot,
      h('div', { class: 'table-scroll' }, h('table', { class: 'grid experiments-table' },
        h('thead', {}, h('tr', {}, ['ID', 'Name', 'Artifact location', 'Created', 'Last updated', 'Tags', 'Actions']
          .map((title) => h('th', { scope: 'col', class: title === 'Tags' ? 'number' : undefined }, title)))),
        this.body)),
      this.pagerView.element);
    return this.load();
  }

  searchTyped(text, delay = SEARCH_DELAY_MS) {
    clearTimeout(this.searchTimer);
    this.searchTimer = setTimeout(() => {
      if (text === this.search && delay !== 0) return;
      this.search = text;
      this.pager.reset();
      this.saveUrl();
      this.load();
    }, delay);
  }

  lifecycleChosen(value) {
    this.lifecycle = lifecycleView(value);
    this.pager.reset();
    this.saveUrl();
    this.load();
  }

  saveUrl() {
    replaceQuery(this.route.path, {
      search: this.search.trim(),
      lifecycleFilter: this.lifecycle === LIFECYCLE_VIEWS[0] ? undefined : this.lifecycle.value,
    });
  }

  async load() {
    const count = ++this.loadCount;
    let answer;
    try {
      answer = await get('experiments/search', {
        max_results: this.pageSize, view_type: this.lifecycle.viewType, filter: nameFilter(this.search),
        page_token: this.pager.token,
      });
    } catch (error) {
      if (count !== this.loadCount || !this.route.isCurrent()) return;
      clear(this.errorSlot).append(errorBox(error));
      clear(this.body);
      this.pager.received(undefined);
      this.pagerView.update(this.pager, 0);
      return;
    }
    if (count !== this.loadCount || !this.route.isCurrent()) return;
    const experiments = answer.experiments || [];
    // A deletion can empty the last page: show the one before instead.
    if (experiments.length === 0 && this.pager.previous()) return this.load();
    clear(this.errorSlot);
    this.pager.received(answer.next_page_token);
    clear(this.body).append(...experiments.map((experiment) => this.row(experiment)));
    if (experiments.length === 0) {
      this.body.append(h('tr', {}, h('td', { colspan: 7, class: 'muted' },
        this.search.trim() ? 'No experiment matches this search.' : 'No experiments.')));
    }
    this.pagerView.update(this.pager, experiments.length);
  }

  row(experiment) {
    const deleted = experiment.lifecycle_stage === 'deleted';
    const nameCell = h('td', { class: 'name-cell' }, this.nameView(experiment));
    const actions = h('td', { class: 'actions' },
      h('button', { type: 'button', 'aria-label': `Rename experiment ${experiment.name}`,
        onclick: () => this.rename(experiment, nameCell) }, 'Rename'),
      deleted
        ? h('button', { type: 'button', 'aria-label': `Restore experiment ${experiment.name}`,
          onclick: () => this.restore(experiment) }, 'Restore')
        : h('button', { type: 'button', class: 'danger', 'aria-label': `Delete experiment ${experiment.name}`,
          onclick: () => this.remove(experiment) }, 'Delete'));
    return h('tr', { dataset: { experimentId: experiment.experiment_id }, class: deleted ? 'deleted' : undefined },
      h('td', { class: 'mono' }, experiment.experiment_id),
      nameCell,
      h('td', { class: 'mono wrap' }, experiment.artifact_location || ''),
      h('td', {}, formatTime(experiment.creation_time)),
      h('td', {}, formatTime(experiment.last_update_time)),
      h('td', { class: 'number' }, String((experiment.tags || []).length)),
      actions);
  }

  nameView(experiment) {
    return [
      h('a', { href: hashLink(`/experiments/${encodeURIComponent(experiment.experiment_id)}`) }, experiment.name),
      experiment.lifecycle_stage === 'deleted' ? h('span', { class: 'tag lifecycle-deleted' }, 'deleted') : null,
    ];
  }

  openCreate() {
    const form = experimentCreateForm({
      create: (name, artifactLocation) => post('experiments/create',
        { name, artifact_location: artifactLocation || undefined }),
      onCreated: (id, name) => {
        clear(this.createPanel);
        clear(this.status).append('Created experiment ',
          h('a', { href: hashLink(`/experiments/${encodeURIComponent(id)}`) }, name), '.');
        this.pager.reset();
        this.load();
      },
      onCancel: () => clear(this.createPanel),
    });
    clear(this.createPanel).append(form);
    form.querySelector('input').focus();
  }

  rename(experiment, cell) {
    const restoreName = () => clear(cell).append(...this.nameView(experiment));
    const form = experimentRenameForm({
      name: experiment.name,
      rename: (newName) => post('experiments/update', { experiment_id: experiment.experiment_id, new_name: newName }),
      onRenamed: (newName) => {
        clear(this.status).append(`Renamed experiment ${experiment.name} to ${newName}.`);
        this.load();
      },
      onCancel: restoreName,
    });
    clear(cell).append(form);
    form.querySelector('input').select();
  }

  async remove(experiment) {
    const confirmed = await confirmDialog({
      title: 'Delete experiment',
      message: `Delete experiment "${experiment.name}" (ID ${experiment.experiment_id}) and its runs? ` +
        'It can be restored from the deleted view.',
      confirmLabel: 'Delete',
    });
    if (confirmed) await this.lifecycleAction('experiments/delete', experiment, 'Deleted');
  }

  async restore(experiment) {
    const confirmed = await confirmDialog({
      title: 'Restore experiment',
      message: `Restore experiment "${experiment.name}" (ID ${experiment.experiment_id}) and its runs?`,
      confirmLabel: 'Restore',
    });
    if (confirmed) await this.lifecycleAction('experiments/restore', experiment, 'Restored');
  }

  async lifecycleAction(path, experiment, done) {
    try {
      await post(path, { experiment_id: experiment.experiment_id });
    } catch (error) {
      clear(this.errorSlot).append(errorBox(error));
      return;
    }
    clear(this.status).append(`${done} experiment ${experiment.name}.`);
    await this.load();
  }

  cleanup() {
    clearTimeout(this.searchTimer);
  }
}

export default async function render(view, route) {
  const page = new ExperimentsPage(view, route);
  await page.render();
  return () => page.cleanup();
}
