// A lazily loaded tree of artifact files, navigable by keyboard as a WAI-ARIA tree: Up/Down move, Right opens a
// folder (or enters it), Left closes it (or goes to its parent), Home/End, Enter or Space selects a file.
import { errorBox, h } from '../lib/dom.js';
import { formatBytes } from './artifact_preview.js';

function baseName(path) {
  return path.slice(path.lastIndexOf('/') + 1);
}

/**
 * @param {{list: (path: string) => Promise<{path: string, is_dir?: boolean, file_size?: number}[]>,
 *          onSelect: (file: {path: string, size?: number}) => void, selectedPath?: string, label: string}} options
 *   `list('')` lists the root; `selectedPath` (a file) is revealed and selected once its folders are loaded.
 */
export function artifactTree({ list, onSelect, selectedPath, label }) {
  const tree = h('ul', { role: 'tree', class: 'artifact-tree', 'aria-label': label });
  const status = h('div');
  const container = h('div', { class: 'artifact-tree-box' }, tree, status);

  function items() {
    return [...tree.querySelectorAll('[role="treeitem"]')].filter((item) => !item.closest('[role="group"][hidden]'));
  }

  function focusItem(item) {
    if (!item) return;
    tree.querySelectorAll('[role="treeitem"]').forEach((other) => other.setAttribute('tabindex', '-1'));
    item.setAttribute('tabindex', '0');
    item.focus();
  }

  function select(item) {
    tree.querySelectorAll('[aria-selected="true"]').forEach((other) => other.setAttribute('aria-selected', 'false'));
    item.setAttribute('aria-selected', 'true');
    tree.querySelectorAll('[role="treeitem"]').forEach((other) => other.setAttribute('tabindex', '-1'));
    item.setAttribute('tabindex', '0');
    const size = item.dataset.size === undefined ? undefined : Number(item.dataset.size);
    onSelect({ path: item.dataset.path, size });
  }

  async function fill(group, path) {
    let files;
    try {
      files = await list(path);
    } catch (error) {
      status.replaceChildren(errorBox(error));
      return;
    }
    const sorted = [...files].sort((a, b) => Number(Boolean(b.is_dir)) - Number(Boolean(a.is_dir)) ||
      a.path.localeCompare(b.path));
    group.replaceChildren(...sorted.map(node));
    if (sorted.length === 0 && group === tree) {
      status.replaceChildren(h('p', { class: 'muted empty' }, 'No artifacts.'));
    }
  }

  async function toggle(item, open) {
    const group = item.querySelector(':scope > [role="group"]');
    const expand = open ?? item.getAttribute('aria-expanded') !== 'true';
    item.setAttribute('aria-expanded', String(expand));
    group.hidden = !expand;
    if (expand && !group.dataset.loaded) {
      group.dataset.loaded = 'true';
      await fill(group, item.dataset.path);
    }
  }

  function node(file) {
    const name = baseName(file.path);
    const attributes = { role: 'treeitem', tabindex: '-1', dataset: { path: file.path }, 'aria-label': name };
    if (file.is_dir) {
      const group = h('ul', { role: 'group', hidden: true });
      return h('li', { ...attributes, 'aria-expanded': 'false', class: 'folder' },
        h('span', { class: 'tree-row' }, h('span', { class: 'twisty', 'aria-hidden': 'true' }), name), group);
    }
    if (file.file_size !== undefined) attributes.dataset.size = String(file.file_size);
    return h('li', { ...attributes, 'aria-selected': 'false', class: 'file' },
      h('span', { class: 'tree-row' }, h('span', { class: 'twisty', 'aria-hidden': 'true' }), name,
        h('span', { class: 'muted size' }, formatBytes(Number(file.file_size)))));
  }

  tree.addEventListener('click', (event) => {
    const item = event.target.closest('[role="treeitem"]');
    if (!item) return;
    event.stopPropagation();
    if (item.classList.contains('folder')) { toggle(item); focusItem(item); } else { select(item); item.focus(); }
  });

  tree.addEventListener('keydown', (event) => {
    const item = event.target.closest('[role="treeitem"]');
    if (!item) return;
    const visible = items();
    const index = visible.indexOf(item);
    const isFolder = item.classList.contains('folder');
    const expanded = item.getAttribute('aria-expanded') === 'true';
    const moves = {
      ArrowDown: () => focusItem(visible[index + 1]),
      ArrowUp: () => focusItem(visible[index - 1]),
      Home: () => focusItem(visible[0]),
      End: () => focusItem(visible[visible.length - 1]),
      ArrowRight: () => {
        if (isFolder && !expanded) toggle(item, true);
        else if (isFolder) focusItem(item.querySelector(':scope > [role="group"] > [role="treeitem"]'));
      },
      ArrowLeft: () => {
        if (isFolder && expanded) toggle(item, false);
        else focusItem(item.parentElement.closest('[role="treeitem"]'));
      },
      Enter: () => (isFolder ? toggle(item) : select(item)),
      ' ': () => (isFolder ? toggle(item) : select(item)),
    };
    if (!moves[event.key]) return;
    event.preventDefault();
    moves[event.key]();
  });

  // Opens the folders on the way to `path` and selects it.
  async function reveal(path) {
    const parts = path.split('/').filter(Boolean);
    let scope = tree;
    for (let depth = 0; depth < parts.length; depth++) {
      const prefix = parts.slice(0, depth + 1).join('/');
      const item = [...scope.querySelectorAll(':scope > [role="treeitem"]')].find((li) => li.dataset.path === prefix);
      if (!item) return;
      if (depth === parts.length - 1) {
        if (item.classList.contains('folder')) toggle(item, true);
        else select(item);
        return;
      }
      if (!item.classList.contains('folder')) return;
      await toggle(item, true);
      scope = item.querySelector(':scope > [role="group"]');
    }
  }

  const ready = fill(tree, '').then(async () => {
    if (selectedPath) await reveal(selectedPath);
    const first = tree.querySelector('[role="treeitem"][tabindex="0"]') || tree.querySelector('[role="treeitem"]');
    if (first) first.setAttribute('tabindex', '0');
  });
  return { element: container, ready };
}
