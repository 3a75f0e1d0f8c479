// The experiment create and rename forms. The server judges the names (empty, taken): its error is shown inline in
// the form, which stays open so the user can correct the name.
import { clear, errorBox, h } from '../lib/dom.js';

// Submits through `action(values)`; on failure shows the error in `errorSlot` and re-enables the form.
async function submitting(form, errorSlot, action) {
  const controls = [...form.querySelectorAll('button, input')];
  controls.forEach((control) => { control.disabled = true; });
  clear(errorSlot);
  try {
    await action();
  } catch (error) {
    errorSlot.append(errorBox(error));
  } finally {
    controls.forEach((control) => { control.disabled = false; });
  }
}

// create(name, artifactLocation) -> the experiments/create answer; onCreated(id, name); onCancel().
export function experimentCreateForm({ create, onCreated, onCancel }) {
  const name = h('input', { type: 'text', name: 'name', required: true, autocomplete: 'off' });
  const location = h('input', { type: 'text', name: 'artifact_location', autocomplete: 'off',
    placeholder: 'default: the server\'s artifact root' });
  const errorSlot = h('div', { class: 'form-error' });
  const form = h('form', {
    class: 'panel experiment-form', 'aria-label': 'New experiment',
    onsubmit: (event) => {
      event.preventDefault();
      submitting(form, errorSlot, async () => {
        const answer = await create(name.value.trim(), location.value.trim());
        onCreated(answer.experiment_id, name.value.trim());
      });
    },
  },
  h('h2', {}, 'New experiment'),
  h('div', { class: 'form-fields' },
    h('label', {}, 'Name', name),
    h('label', {}, 'Artifact location (optional)', location)),
  errorSlot,
  h('div', { class: 'toolbar' },
    h('button', { type: 'submit', class: 'primary' }, 'Create'),
    h('button', { type: 'button', onclick: onCancel }, 'Cancel')));
  return form;
}

// rename(newName) -> promise; onRenamed(newName); onCancel().
export function experimentRenameForm({ name, rename, onRenamed, onCancel }) {
  const input = h('input', { type: 'text', value: name, required: true, 'aria-label': `New name for ${name}`,
    onkeydown: (event) => { if (event.key === 'Escape') onCancel(); } });
  const errorSlot = h('div', { class: 'form-error' });
  const form = h('form', {
    class: 'rename-form', 'aria-label': `Rename ${name}`,
    onsubmit: (event) => {
      event.preventDefault();
      const newName = input.value.trim();
      submitting(form, errorSlot, async () => {
        await rename(newName);
        onRenamed(newName);
      });
    },
  },
  input,
  h('button', { type: 'submit', class: 'primary' }, 'Save'),
  h('button', { type: 'button', onclick: onCancel }, 'Cancel'),
  errorSlot);
  return form;
}
