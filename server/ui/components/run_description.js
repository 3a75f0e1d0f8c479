// An editable free-text description: shown as text, edited in a textarea, saved through the caller's `save`.
// Used for a run's note (tag mlflow.note.content) and for registered models and their versions.
import { errorBox, h } from '../lib/dom.js';

/**
 * @param {{text: string, label: string, save: (text: string) => Promise<void>}} options
 *   `label` names the thing described ("run", "model") in the controls' labels.
 */
export function descriptionEditor({ text, label, save }) {
  const section = h('section', { class: 'description', 'aria-label': `Description of the ${label}` });
  let current = text || '';

  function showText() {
    const body = current
      ? h('div', { class: 'description-text' }, current)
      : h('div', { class: 'description-text muted' }, 'No description.');
    const edit = h('button', { type: 'button', 'aria-label': `Edit the description of the ${label}`,
      onclick: showEditor }, 'Edit');
    section.replaceChildren(h('div', { class: 'section-head' }, h('h2', {}, 'Description'), edit), body);
  }

  function showEditor() {
    const area = h('textarea', { rows: 5, class: 'description-input', 'aria-label': `Description of the ${label}` });
    area.value = current;
    const message = h('div');
    const saveButton = h('button', { type: 'button', class: 'primary', onclick: onSave }, 'Save');
    const cancel = h('button', { type: 'button', onclick: showText }, 'Cancel');
    async function onSave() {
      saveButton.disabled = true;
      try {
        await save(area.value);
        current = area.value;
        showText();
      } catch (error) {
        saveButton.disabled = false;
        message.replaceChildren(errorBox(error));
      }
    }
    section.replaceChildren(h('h2', {}, 'Description'), area, h('div', { class: 'toolbar' }, saveButton, cancel),
      message);
    area.focus();
  }

  showText();
  return section;
}
