// Placeholder: replaced by the real page.
import { h, setTitle } from '../lib/dom.js';

export default async function render(view, route) {
  setTitle('run');
  view.append(h('h1', {}, 'run'), h('pre', {}, JSON.stringify(route.params)));
}
