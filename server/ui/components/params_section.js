// The "Parameters" section of a run's or a logged model's page: name and value, sorted by name.
import { h } from '../lib/dom.js';

export function paramsSection(params) {
  const sorted = [...(params || [])].sort((a, b) => a.key.localeCompare(b.key));
  const body = sorted.length === 0 ? h('p', { class: 'muted' }, 'No parameters.') : h('div', { class: 'table-scroll' },
    h('table', { class: 'grid params' }, h('thead', {}, h('tr', {}, h('th', {}, 'Name'), h('th', {}, 'Value'))),
      h('tbody', {}, sorted.map((param) => h('tr', {}, h('td', { class: 'mono' }, param.key),
        h('td', { class: 'wrap' }, param.value))))));
  return h('section', { 'aria-label': 'Parameters' }, h('h2', {}, `Parameters (${sorted.length})`), body);
}
