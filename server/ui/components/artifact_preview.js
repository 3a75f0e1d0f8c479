// The preview of one artifact file: text, pretty JSON, YAML, MLmodel (text and its signature), CSV/TSV as a table,
// images; files over the size limit (or of unknown kinds) get a download link only.
import { errorBox, h, loadingBox } from '../lib/dom.js';
import { parseSignature, signatureTables } from './artifact_schema.js';

export const PREVIEW_LIMIT_BYTES = 1024 * 1024;
const TABLE_ROW_LIMIT = 500;
const IMAGE_EXTENSIONS = ['png', 'jpg', 'jpeg', 'gif', 'svg', 'webp', 'bmp'];
const TEXT_EXTENSIONS = ['txt', 'log', 'md', 'py', 'r', 'sh', 'ini', 'cfg', 'conf', 'toml', 'xml', 'html', 'js', 'css',
  'cpp', 'hpp', 'c', 'h', 'java', 'scala', 'sql', 'properties', 'text', 'jsonl', 'rst'];

function baseName(path) {
  return path.slice(path.lastIndexOf('/') + 1);
}

// What a file is shown as: 'image', 'json', 'yaml', 'mlmodel', 'csv', 'tsv', 'text' or 'none'.
export function previewKind(path) {
  const name = baseName(path);
  if (name === 'MLmodel') return 'mlmodel';
  if (['requirements.txt', 'conda.yaml', 'python_env.yaml', 'LICENSE', 'README'].includes(name)) return 'text';
  const dot = name.lastIndexOf('.');
  const extension = dot < 0 ? '' : name.slice(dot + 1).toLowerCase();
  if (IMAGE_EXTENSIONS.includes(extension)) return 'image';
  if (extension === 'json') return 'json';
  if (extension === 'yaml' || extension === 'yml') return 'yaml';
  if (extension === 'csv') return 'csv';
  if (extension === 'tsv') return 'tsv';
  if (TEXT_EXTENSIONS.includes(extension)) return 'text';
  return 'none';
}

// Rows of delimited text (RFC 4180 quoting), at most `limit` of them.
export function parseDelimited(text, delimiter, limit) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let index = 0; index < text.length && rows.length < limit; index++) {
    const char = text[index];
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') { field += '"'; index++; } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"' && field === '') {
      quoted = true;
    } else if (char === delimiter) {
      row.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[index + 1] === '\n') index++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else {
      field += char;
    }
  }
  if ((field !== '' || row.length > 0) && rows.length < limit) rows.push([...row, field]);
  return rows;
}

function tablePreview(text, delimiter) {
  const rows = parseDelimited(text, delimiter, TABLE_ROW_LIMIT + 1);
  const [header = [], ...body] = rows;
  const shown = body.slice(0, TABLE_ROW_LIMIT);
  const note = body.length > TABLE_ROW_LIMIT ? h('p', { class: 'muted' }, `First ${TABLE_ROW_LIMIT} rows.`) : null;
  return h('div', {}, note, h('div', { class: 'table-scroll preview-table' },
    h('table', { class: 'grid', 'aria-label': 'File contents' },
      h('thead', {}, h('tr', {}, header.map((cell) => h('th', {}, cell)))),
      h('tbody', {}, shown.map((cells) => h('tr', {}, cells.map((cell) => h('td', {}, cell))))))));
}

function jsonPreview(text) {
  try {
    return h('pre', { class: 'preview-text' }, JSON.stringify(JSON.parse(text), null, 2));
  } catch {
    return h('pre', { class: 'preview-text' }, text);
  }
}

function mlmodelPreview(text) {
  return h('div', {}, h('pre', { class: 'preview-text' }, text), h('h3', {}, 'Signature'),
    signatureTables(parseSignature(text)));
}

const TEXT_RENDERERS = {
  json: jsonPreview,
  yaml: (text) => h('pre', { class: 'preview-text' }, text),
  text: (text) => h('pre', { class: 'preview-text' }, text),
  mlmodel: mlmodelPreview,
  csv: (text) => tablePreview(text, ','),
  tsv: (text) => tablePreview(text, '\t'),
};

async function fetchText(url) {
  const response = await fetch(url, { credentials: 'same-origin' });
  const text = await response.text();
  if (!response.ok) {
    let message = text;
    try { message = JSON.parse(text).message || text; } catch { /* not an MLflow error: the text itself */ }
    throw new Error(`The file could not be read (${response.status}): ${message}`);
  }
  return text;
}

/**
 * The preview of the file at `url` (`path` its artifact path, `size` its bytes when known).
 * @returns {HTMLElement} filled in once the file has been read
 */
export function artifactPreview({ url, path, size }) {
  const kind = previewKind(path);
  const download = h('a', { href: url, download: baseName(path), class: 'button' }, 'Download');
  const sizeText = size === undefined || size === null ? '' : formatBytes(Number(size));
  const head = h('div', { class: 'preview-head' }, h('span', { class: 'mono' }, path),
    h('span', { class: 'muted' }, sizeText), download);
  const body = h('div', { class: 'preview-body' });
  const element = h('div', { class: 'artifact-preview', 'aria-label': `Preview of ${path}`, role: 'region' },
    head, body);
  if (kind === 'none') {
    body.append(h('p', { class: 'muted' }, 'No preview for this kind of file.'));
  } else if (Number(size) > PREVIEW_LIMIT_BYTES) {
    body.append(h('p', { class: 'muted' }, `The file is larger than ${formatBytes(PREVIEW_LIMIT_BYTES)}: ` +
      'download it to see it.'));
  } else if (kind === 'image') {
    body.append(h('img', { src: url, alt: baseName(path), class: 'preview-image' }));
  } else {
    body.append(loadingBox('Reading the file…'));
    fetchText(url).then(
      (text) => body.replaceChildren(TEXT_RENDERERS[kind](text)),
      (error) => body.replaceChildren(errorBox(error)));
  }
  return element;
}

// "512 B", "3.4 KiB", "1.0 MiB".
export function formatBytes(bytes) {
  if (!Number.isFinite(bytes)) return '';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  if (bytes < 1024 * 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  return `${(bytes / 1024 / 1024 / 1024).toFixed(1)} GiB`;
}
