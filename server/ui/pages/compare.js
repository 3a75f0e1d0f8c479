// Placeholder: replaced by the real page.
import { h, setTitle } from '../lib/dom.js';

export default async function render(view, route) {
  setTitle('compare');
  view.append(h('h1', {}, 'compare'), h('pre', {}, JSON.stringify(route.params)));
}
