// A modal confirmation for destructive actions (deleting experiments or runs): a native <dialog>, so focus is kept
// inside it and Escape cancels, without any script of our own for either.
import { h } from '../lib/dom.js';

// Resolves true when the user confirms, false when they cancel or press Escape.
export function confirmDialog({ title, message, confirmLabel = 'Confirm' }) {
  return new Promise((resolve) => {
    const titleId = `confirm-title-${Date.now()}`;
    const cancel = h('button', { type: 'button', onclick: () => dialog.close('cancel') }, 'Cancel');
    const confirm = h('button',
      { type: 'button', class: 'primary danger-fill', onclick: () => dialog.close('confirm') }, confirmLabel);
    const dialog = h('dialog', { class: 'confirm-dialog', 'aria-labelledby': titleId },
      h('h2', { id: titleId }, title),
      h('p', {}, message),
      h('div', { class: 'toolbar dialog-actions' }, cancel, confirm));
    dialog.addEventListener('close', () => {
      dialog.remove();
      resolve(dialog.returnValue === 'confirm');
    });
    document.body.append(dialog);
    dialog.showModal();
    cancel.focus();
  });
}
