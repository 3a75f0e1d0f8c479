// Placeholder: replaced by the real page.
import { h, setTitle } from '../lib/dom.js';

export default async function render(view, route) {
  setTitle('model_version');
  view.append(h('h1', {}, 'model_version'), h('pre', {}, JSON.stringify(route.params)));
}
