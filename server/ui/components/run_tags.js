// A table of key/value tags with add and remove. Used for runs (system `mlflow.*` tags hidden behind a toggle) and
// for registered models and their versions. Changes go through the caller's `setTag` and `deleteTag`.
import { applyChange, h } from '../lib/dom.js';

const SYSTEM_PREFIX = 'mlflow.';

/**
 * @param {{tags: {key: string, value: string}[], label: string, hideSystem?: boolean,
 *          setTag: (key: string, value: string) => Promise<void>, deleteTag: (key: string) => Promise<void>}} options
 */
export function tagsEditor({ tags, label, hideSystem = false, setTag, deleteTag }) {
  const section = h('section', { class: 'tags-editor', 'aria-label': `Tags of the ${label}` });
  const values = new Map((tags || []).map((tag) => [tag.key, tag.value]));
  let showSystem = !hideSystem;
  const message = h('div');

  const change = (action) => applyChange(message, action, render);

  function row(key, value) {
    const remove = h('button', { type: 'button', class: 'danger small', 'aria-label': `Remove tag ${key}`,
      onclick: () => change(async () => { await deleteTag(key); values.delete(key); }) }, 'Remove');
    return h('tr', {}, h('td', { class: 'mono' }, key), h('td', { class: 'wrap' }, value), h('td', {}, remove));
  }

  function addForm() {
    const key = h('input', { type: 'text', 'aria-label': 'New tag key', placeholder: 'Key', required: true });
    const value = h('input', { type: 'text', 'aria-label': 'New tag value', placeholder: 'Value' });
    const onsubmit = (event) => {
      event.preventDefault();
      const name = key.value.trim();
      if (!name) return;
      change(async () => { await setTag(name, value.value); values.set(name, value.value); });
    };
    return h('form', { class: 'toolbar', onsubmit }, key, value, h('button', { type: 'submit' }, 'Add tag'));
  }

  function render() {
    const keys = [...values.keys()].sort();
    const hidden = keys.filter((key) => key.startsWith(SYSTEM_PREFIX)).length;
    const shown = showSystem ? keys : keys.filter((key) => !key.startsWith(SYSTEM_PREFIX));
    const head = h('div', { class: 'section-head' }, h('h2', {}, `Tags (${shown.length})`));
    if (hideSystem && hidden > 0) {
      const toggle = h('input', { type: 'checkbox', onchange: () => { showSystem = toggle.checked; render(); } });
      toggle.checked = showSystem;
      head.append(h('label', {}, toggle, `Show system tags (${hidden})`));
    }
    const table = shown.length === 0 ? h('p', { class: 'muted' }, 'No tags.') : h('div', { class: 'table-scroll' },
      h('table', { class: 'grid tags' },
        h('thead', {}, h('tr', {}, h('th', {}, 'Key'), h('th', {}, 'Value'), h('th', {}, h('span', { class: 'sr-only' },
          'Actions')))),
        h('tbody', {}, shown.map((key) => row(key, values.get(key))))));
    section.replaceChildren(head, table, addForm(), message);
  }

  render();
  return section;
}
