// Placeholder: replaced by the real page.
import { h, setTitle } from '../lib/dom.js';

export default async function render(view, route) {
  setTitle('experiment_runs');
  view.append(h('h1', {}, 'experiment_runs'), h('pre', {}, JSON.stringify(route.params)));
}
