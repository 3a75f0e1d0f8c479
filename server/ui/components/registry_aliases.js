// A registered model's aliases (alias -> version) with add and remove. On a version's page the new alias points at
// that version; on the model's page the version is chosen.
import { del, post } from '../lib/api.js';
import { applyChange, h } from '../lib/dom.js';
import { versionPath } from './registry_links.js';

/**
 * @param {{modelName: string, aliases: {alias: string, version: string}[], version?: string}} options
 *   `version` set: only that version's aliases are shown and added.
 */
export function aliasesEditor({ modelName, aliases, version }) {
  const section = h('section', { class: 'aliases-editor', 'aria-label': 'Aliases' });
  const current = new Map((aliases || []).map((entry) => [entry.alias, String(entry.version)]));
  const message = h('div');

  const change = (action) => applyChange(message, action, render);

  function chip(alias, target) {
    const remove = h('button', { type: 'button', class: 'chip-remove', 'aria-label': `Remove alias ${alias}`,
      onclick: () => change(async () => { await del('registered-models/alias', { name: modelName, alias });
        current.delete(alias); }) }, '×');
    const label = version === undefined
      ? h('a', { href: versionPath(modelName, target) }, `@${alias} → v${target}`)
      : `@${alias}`;
    return h('span', { class: 'alias-chip' }, label, remove);
  }

  function addForm() {
    const alias = h('input', { type: 'text', 'aria-label': 'New alias', placeholder: 'Alias', required: true });
    const target = version === undefined
      ? h('input', { type: 'number', min: 1, 'aria-label': 'Version of the new alias', placeholder: 'Version',
        required: true, class: 'version-input' })
      : null;
    const onsubmit = (event) => {
      event.preventDefault();
      const name = alias.value.trim();
      const to = version ?? target.value.trim();
      if (!name || !to) return;
      change(async () => {
        await post('registered-models/alias', { name: modelName, alias: name, version: String(to) });
        current.set(name, String(to));
      });
    };
    return h('form', { class: 'toolbar', onsubmit }, alias, target, h('button', { type: 'submit' }, 'Add alias'));
  }

  function render() {
    const shown = [...current.entries()].filter(([, target]) => version === undefined || target === String(version))
      .sort(([a], [b]) => a.localeCompare(b));
    const chips = shown.length === 0 ? h('span', { class: 'muted' }, 'No aliases.')
      : h('div', { class: 'alias-chips' }, shown.map(([alias, target]) => chip(alias, target)));
    section.replaceChildren(h('h2', {}, 'Aliases'), chips, addForm(), message);
  }

  render();
  return section;
}
