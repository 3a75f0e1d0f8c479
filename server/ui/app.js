// The single-page application: maps the official MLflow UI's hash URLs to page modules and renders one at a time.
//
// A page module (pages/*.js) default-exports `async render(view, route)`: it fills `view` (the emptied <main>) and
// may return a cleanup function, called before the next page renders (to stop timers or listeners). `route` is
//   { path, params: {name: value}, query: URLSearchParams, json(name, fallback), navigate(hash, {replace}) }
// where json() reads a JSON-encoded query value such as runs=["a","b"] or metric="loss" as the official UI writes it.

import { clear, errorBox, loadingBox, setTitle } from './lib/dom.js';

const ROUTES = [
  { pattern: /^\/?$/, page: 'experiments', nav: 'experiments' },
  { pattern: /^\/experiments\/?$/, page: 'experiments', nav: 'experiments' },
  { pattern: /^\/experiments\/([^/]+)\/runs\/([^/]+)(?:\/artifact(?:s|Path)\/(.*))?\/?$/, page: 'run',
    names: ['experimentId', 'runId', 'artifactPath'], nav: 'experiments' },
  { pattern: /^\/experiments\/([^/]+)\/models\/?$/, page: 'experiment_models', names: ['experimentId'],
    nav: 'experiments' },
  // A logged model (MLflow 3); the official UI adds a tab name (artifacts, traces, ...).
  { pattern: /^\/experiments\/([^/]+)\/models\/([^/]+)(?:\/([^/]+))?\/?$/, page: 'logged_model',
    names: ['experimentId', 'loggedModelId', 'tabName'], nav: 'experiments' },
  { pattern: /^\/experiments\/([^/]+)\/?$/, page: 'experiment_runs', names: ['experimentId'], nav: 'experiments' },
  { pattern: /^\/metric(?:\/(.+?))?\/?$/, page: 'metric', names: ['metricKey'], nav: 'experiments' },
  { pattern: /^\/compare-runs\/?$/, page: 'compare', nav: 'experiments' },
  { pattern: /^\/models\/?$/, page: 'models', nav: 'models' },
  { pattern: /^\/models\/([^/]+)\/versions\/([^/]+)\/?$/, page: 'model_version', names: ['name', 'version'],
    nav: 'models' },
  { pattern: /^\/models\/([^/]+)\/?$/, page: 'model', names: ['name'], nav: 'models' },
];

function parseHash(hash) {
  const text = hash.replace(/^#/, '') || '/';
  const mark = text.indexOf('?');
  const path = mark < 0 ? text : text.slice(0, mark);
  const query = new URLSearchParams(mark < 0 ? '' : text.slice(mark + 1));
  return { path, query };
}

export function navigate(hash, { replace = false } = {}) {
  const target = hash.startsWith('#') ? hash : `#${hash}`;
  if (replace) {
    history.replaceState(null, '', target);
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } else {
    window.location.hash = target;
  }
}

function matchRoute(path) {
  for (const route of ROUTES) {
    const match = route.pattern.exec(path);
    if (!match) continue;
    const params = {};
    (route.names || []).forEach((name, index) => {
      const value = match[index + 1];
      params[name] = value === undefined ? undefined : decodeURIComponent(value);
    });
    return { route, params };
  }
  return null;
}

class App {
  constructor(view) {
    this.view = view;
    this.cleanup = null;
    this.generation = 0;
  }

  async render() {
    const generation = ++this.generation;
    await this.renderRoute(generation);
    // How many routes have finished rendering: lets tests (and tools) wait for a page rather than guess.
    if (generation === this.generation) document.documentElement.dataset.rendered = String(generation);
  }

  async renderRoute(generation) {
    const { path, query } = parseHash(window.location.hash);
    if (this.cleanup) {
      try { this.cleanup(); } catch (error) { console.warn(error); }
      this.cleanup = null;
    }
    const matched = matchRoute(path);
    document.querySelectorAll('[data-nav]').forEach((link) => {
      if (matched && link.dataset.nav === matched.route.nav) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    });
    clear(this.view);
    if (!matched) {
      setTitle('Page not found');
      this.view.append(errorBox({ errorCode: 'NOT_FOUND', message: `No page at #${path}.` }));
      return;
    }
    this.view.append(loadingBox());
    const route = {
      path,
      params: matched.params,
      query,
      json(name, fallback) {
        const value = query.get(name);
        if (value === null) return fallback;
        try { return JSON.parse(value); } catch { return value; }
      },
      navigate,
      // True while this page is still the one shown (async work finishing late must not touch a newer page).
      isCurrent: () => generation === this.generation,
    };
    try {
      const module = await import(`./pages/${matched.route.page}.js`);
      if (generation !== this.generation) return;
      clear(this.view);
      const cleanup = await module.default(this.view, route);
      if (generation !== this.generation) {
        if (typeof cleanup === 'function') cleanup();
        return;
      }
      this.cleanup = typeof cleanup === 'function' ? cleanup : null;
    } catch (error) {
      if (generation !== this.generation) return;
      clear(this.view);
      this.view.append(errorBox(error));
    }
  }
}

const app = new App(document.getElementById('main'));
window.addEventListener('hashchange', () => app.render());
// The skip link focuses the content without changing the route.
document.querySelector('[data-skip-link]')?.addEventListener('click', (event) => {
  event.preventDefault();
  document.getElementById('main').focus();
});
app.render();
