// Placeholder: replaced by the real page.
import { h, setTitle } from '../lib/dom.js';

export default async function render(view, route) {
  setTitle('metric');
  view.append(h('h1', {}, 'metric'), h('pre', {}, JSON.stringify(route.params)));
}
