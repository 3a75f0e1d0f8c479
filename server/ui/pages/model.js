// Placeholder: replaced by the real page.
import { h, setTitle } from '../lib/dom.js';

export default async function render(view, route) {
  setTitle('model');
  view.append(h('h1', {}, 'model'), h('pre', {}, JSON.stringify(route.params)));
}
