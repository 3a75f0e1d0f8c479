// A model's signature as MLflow writes it in an MLmodel file, shown as tables of its inputs and outputs.
//
// MLmodel is YAML; its `signature` block holds `inputs`, `outputs` (and `params`) as JSON text in quoted YAML
// scalars that the writer may fold over several lines. Reading just that block avoids a full YAML parser.
import { h } from '../lib/dom.js';

const SIGNATURE_FIELDS = ['inputs', 'outputs', 'params'];

function indentOf(line) {
  return line.length - line.trimStart().length;
}

// A YAML scalar's text: quotes removed and folded lines joined with a space, as YAML reads them.
function scalarText(lines) {
  const joined = lines.map((line) => line.trim()).filter((line) => line !== '').join(' ');
  if (joined.startsWith("'") && joined.endsWith("'")) return joined.slice(1, -1).replace(/''/g, "'");
  if (joined.startsWith('"') && joined.endsWith('"')) {
    try { return JSON.parse(joined); } catch { return joined.slice(1, -1); }
  }
  return joined;
}

// The lines of the block under `key:` at top level (the key's own value first), or null.
function topLevelBlock(lines, key) {
  const start = lines.findIndex((line) => line.startsWith(`${key}:`));
  if (start < 0) return null;
  const block = [lines[start].slice(key.length + 1)];
  for (let index = start + 1; index < lines.length; index++) {
    const line = lines[index];
    if (line.trim() !== '' && indentOf(line) === 0) break;
    block.push(line);
  }
  return block;
}

/**
 * The signature of an MLmodel file's text: {inputs, outputs, params}, each a parsed JSON list or undefined; null
 * when the file has no signature.
 */
export function parseSignature(text) {
  const block = topLevelBlock(String(text).split(/\r?\n/), 'signature');
  if (!block) return null;
  const body = block.slice(1).filter((line) => line.trim() !== '');
  if (body.length === 0) return null;
  const fieldIndent = indentOf(body[0]);
  const signature = {};
  for (let index = 0; index < body.length; index++) {
    const match = /^(\w+):(.*)$/.exec(body[index].trim());
    if (!match || indentOf(body[index]) !== fieldIndent || !SIGNATURE_FIELDS.includes(match[1])) continue;
    const valueLines = [match[2]];
    while (index + 1 < body.length && indentOf(body[index + 1]) > fieldIndent) valueLines.push(body[++index]);
    const value = scalarText(valueLines);
    if (!value || value === 'null') continue;
    try { signature[match[1]] = JSON.parse(value); } catch { /* not a JSON schema: not shown */ }
  }
  return signature.inputs || signature.outputs ? signature : null;
}

// One column or tensor spec's type as MLflow's UI words it.
function typeOf(spec) {
  if (spec.type === 'tensor' && spec['tensor-spec']) {
    const tensor = spec['tensor-spec'];
    return `Tensor (dtype: ${tensor.dtype}, shape: [${(tensor.shape || []).join(', ')}])`;
  }
  if (spec.type === 'array' && spec.items) return `Array(${typeOf(spec.items)})`;
  return spec.type || '';
}

function specTable(title, specs) {
  const rows = (Array.isArray(specs) ? specs : []).map((spec, index) => h('tr', {},
    h('td', { class: 'mono' }, spec.name ?? `(${index})`),
    h('td', {}, typeOf(spec)),
    h('td', {}, spec.required === false ? 'optional' : 'required')));
  return h('div', { class: 'schema-part' }, h('h3', {}, `${title} (${rows.length})`),
    h('div', { class: 'table-scroll' }, h('table', { class: 'grid schema', 'aria-label': `${title} schema` },
      h('thead', {}, h('tr', {}, h('th', {}, 'Name'), h('th', {}, 'Type'), h('th', {}, 'Required'))),
      h('tbody', {}, rows))));
}

// The tables of a parsed signature, or a note that there is none.
export function signatureTables(signature) {
  if (!signature) return h('p', { class: 'muted' }, 'The model has no signature.');
  const parts = [];
  if (signature.inputs) parts.push(specTable('Inputs', signature.inputs));
  if (signature.outputs) parts.push(specTable('Outputs', signature.outputs));
  return h('div', { class: 'schema-tables' }, parts);
}
