// The "Artifacts" section of a run's or a logged model's page: the artifact tree beside a preview of the selected
// file.
import { h } from '../lib/dom.js';
import { artifactPreview } from './artifact_preview.js';
import { artifactTree } from './artifact_tree.js';

/**
 * @param {{list: (path: string) => Promise<object[]>, fileUrl: (path: string) => string, treeLabel: string,
 *          selectedPath?: string, onSelect?: (file: {path: string, size?: number}) => void}} options
 *   `list` and `selectedPath` as for artifactTree; `fileUrl(path)` is where a file's bytes are read for its preview;
 *   `onSelect` hears of each file selected, after its preview is shown.
 * @returns {{section: HTMLElement, ready: Promise<void>}} `ready` settles once the tree's first level is shown.
 */
export function artifactsSection({ list, fileUrl, treeLabel, selectedPath, onSelect }) {
  const preview = h('div', { class: 'artifact-preview-pane' },
    h('p', { class: 'muted' }, 'Select a file to preview it.'));
  const showPreview = (file) => {
    preview.replaceChildren(artifactPreview({ url: fileUrl(file.path), path: file.path, size: file.size }));
    if (onSelect) onSelect(file);
  };
  const tree = artifactTree({ list, onSelect: showPreview, selectedPath, label: treeLabel });
  const section = h('section', { 'aria-label': 'Artifacts', class: 'run-artifacts' }, h('h2', {}, 'Artifacts'),
    h('div', { class: 'artifacts-layout' }, tree.element, preview));
  return { section, ready: tree.ready };
}
