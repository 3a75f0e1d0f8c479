// Placeholder: replaced by the real page.
import { h, setTitle } from '../lib/dom.js';

export default async function render(view, route) {
  setTitle('models');
  view.append(h('h1', {}, 'models'), h('pre', {}, JSON.stringify(route.params)));
}
