// Every page in narrow windows and for keyboard and screen-reader users: each route at 1280, 768 and 390 px wide
// must not overflow the window sideways (wide tables scroll inside their own box), name every visible control, give
// every image an alt text, start its headings with a single h1, and let Tab move through its controls.
import { browserTest } from './harness.mjs';

const WIDTHS = [1280, 768, 390];

// A 1x1 PNG, enough for the artifact preview to show an <img>.
const PIXEL_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

async function seedRun(api, experimentId, { name, tags = [], loss, alpha }) {
  const startTime = Date.now() - 600000;
  const runId = await api.createRun(experimentId, { name, startTime, tags });
  const metrics = [];
  for (let step = 0; step < 5; step += 1) {
    metrics.push({ key: 'loss', value: loss / (step + 1), step, timestamp: startTime + step * 1000 });
    metrics.push({ key: 'accuracy', value: 1 - loss / (step + 2), step, timestamp: startTime + step * 1000 });
  }
  await api.logBatch(runId, {
    metrics,
    params: [{ key: 'alpha', value: alpha }, { key: 'optimizer', value: 'adam' }],
    tags: [{ key: 'team', value: 'vision' }],
  });
  await api.endRun(runId);
  return runId;
}

async function seed(api) {
  const experimentId = await api.createExperiment(`a11y-${Date.now()}`, [{ key: 'owner', value: 'alice' }]);
  const parentId = await seedRun(api, experimentId, { name: 'parent-run', loss: 0.8, alpha: '0.1' });
  const childId = await seedRun(api, experimentId, {
    name: 'child-run-with-a-rather-long-name-to-test-wrapping',
    tags: [{ key: 'mlflow.parentRunId', value: parentId }, { key: 'mlflow.source.name', value: 'train.py' }],
    loss: 0.5,
    alpha: '0.5',
  });
  await api.uploadArtifact(childId, 'notes.txt', 'hello from the run\n', 'text/plain');
  await api.uploadArtifact(childId, 'plots/pixel.png', PIXEL_PNG, 'image/png');
  await api.uploadArtifact(childId, 'model/MLmodel', 'artifact_path: model\nflavors: {}\n', 'text/plain');
  const { run } = await api.get('runs/get', { run_id: childId });
  const modelName = `a11y-model-${Date.now()}`;
  await api.post('registered-models/create', { name: modelName, description: 'A model for the checks.',
    tags: [{ key: 'team', value: 'vision' }] });
  await api.post('model-versions/create', { name: modelName, source: `${run.info.artifact_uri}/model`,
    run_id: childId });
  // An MLflow 3 logged model of the child run, with a metric, a param and an artifact.
  const { model: loggedModel } = await api.post('logged-models', { experiment_id: experimentId,
    name: 'a11y-logged-model', source_run_id: childId, model_type: 'sklearn',
    params: [{ key: 'max_depth', value: '4' }] });
  const loggedModelId = loggedModel.info.model_id;
  await api.logBatch(childId, { metrics: [{ key: 'accuracy', value: 0.9, timestamp: Date.now(), step: 0,
    model_id: loggedModelId, dataset_name: 'eval-set-with-a-rather-long-name', dataset_digest: 'abc123' }] });
  await api.uploadModelArtifact(loggedModelId, 'MLmodel', 'artifact_path: model\nflavors: {}\n', 'text/plain');
  return { experimentId, parentId, childId, modelName, loggedModelId };
}

function routes({ experimentId, parentId, childId, modelName, loggedModelId }) {
  const json = (value) => encodeURIComponent(JSON.stringify(value));
  const runs = json([parentId, childId]);
  const experiments = json([experimentId]);
  return [
    { name: 'experiments', hash: '#/experiments' },
    { name: 'runs', hash: `#/experiments/${experimentId}` },
    { name: 'run', hash: `#/experiments/${experimentId}/runs/${childId}` },
    { name: 'run-image', hash: `#/experiments/${experimentId}/runs/${childId}/artifactPath/plots/pixel.png`,
      ready: 'main .artifact-preview-pane img' },
    { name: 'metric', hash: `#/metric/loss?runs=${runs}&experiments=${experiments}` },
    { name: 'compare', hash: `#/compare-runs?runs=${runs}&experiments=${experiments}` },
    { name: 'models', hash: '#/models' },
    { name: 'model', hash: `#/models/${encodeURIComponent(modelName)}` },
    { name: 'version', hash: `#/models/${encodeURIComponent(modelName)}/versions/1` },
    { name: 'logged-models', hash: `#/experiments/${experimentId}/models` },
    { name: 'logged-model', hash: `#/experiments/${experimentId}/models/${loggedModelId}` },
    { name: 'logged-model-artifacts', hash: `#/experiments/${experimentId}/models/${loggedModelId}/artifacts` },
  ];
}

// The static checks, run inside the page: returns a list of problems (empty when the page is fine).
function inspectPage() {
  const problems = [];
  const describe = (element) => {
    const id = element.id ? `#${element.id}` : '';
    const classes = element.classList.length ? `.${[...element.classList].join('.')}` : '';
    const type = element.getAttribute('type') ? `[type=${element.getAttribute('type')}]` : '';
    return `<${element.tagName.toLowerCase()}${id}${classes}${type}>`;
  };
  const visible = (element) => (element.checkVisibility ? element.checkVisibility({ checkVisibilityCSS: true })
    : element.getClientRects().length > 0);

  const width = document.documentElement.scrollWidth;
  if (width > window.innerWidth + 1) {
    const wide = [...document.querySelectorAll('main *')]
      .filter((element) => visible(element) && element.getBoundingClientRect().right > window.innerWidth + 1)
      .filter((element) => !element.parentElement.closest('.table-scroll, pre'))
      .slice(0, 5)
      .map((element) => `${describe(element)} ends at ${Math.round(element.getBoundingClientRect().right)}`);
    problems.push(`the document is ${width} px wide in a ${window.innerWidth} px window: ${wide.join(', ')}`);
  }

  const named = (element) => {
    if ((element.getAttribute('aria-label') || '').trim()) return true;
    const labelledBy = (element.getAttribute('aria-labelledby') || '').split(/\s+/).filter(Boolean);
    if (labelledBy.some((id) => (document.getElementById(id)?.textContent || '').trim())) return true;
    if ([...(element.labels || [])].some((label) => label.textContent.trim())) return true;
    if ((element.getAttribute('title') || '').trim()) return true;
    if (element.tagName === 'BUTTON' && element.textContent.trim()) return true;
    const type = (element.getAttribute('type') || '').toLowerCase();
    return ['submit', 'reset', 'button'].includes(type) && (element.value || '').trim() !== '';
  };
  for (const control of document.querySelectorAll('input:not([type="hidden"]), select, textarea, button')) {
    if (visible(control) && !named(control)) problems.push(`${describe(control)} has no accessible name`);
  }

  for (const image of document.querySelectorAll('img')) {
    if (!image.hasAttribute('alt')) problems.push(`${describe(image)} (${image.getAttribute('src')}) has no alt`);
  }
  for (const picture of document.querySelectorAll('[role="img"], svg:not([aria-hidden="true"])')) {
    if (visible(picture) && !named(picture)) problems.push(`${describe(picture)} has no accessible name`);
  }

  const headings = [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].filter(visible);
  const ones = headings.filter((heading) => heading.tagName === 'H1').length;
  if (ones !== 1) problems.push(`${ones} visible h1 headings`);
  if (headings.length && headings[0].tagName !== 'H1') {
    problems.push(`the first heading is ${headings[0].tagName} "${headings[0].textContent.trim()}"`);
  }
  return problems;
}

// One Tab press, judged inside the page: where the focus went, and whether the element focused before looks any
// different now that it lost the focus (an element whose look does not change has no visible focus indicator).
function stepFocus() {
  const look = (element) => [element, ...element.children].map((part) => {
    const style = getComputedStyle(part);
    return ['outlineStyle', 'outlineWidth', 'outlineColor', 'boxShadow', 'stroke', 'strokeWidth', 'backgroundColor',
      'borderColor', 'textDecorationLine', 'color'].map((name) => style[name]).join(' ');
  }).join('|');
  const describe = (element) => `<${[element.tagName.toLowerCase(), ...element.classList].join('.')}>`;
  const state = window.a11yFocusState || (window.a11yFocusState = { seen: new Set(), previous: null, look: '' });
  const result = { unmarked: null };
  if (state.previous && state.previous.isConnected && look(state.previous) === state.look) {
    result.unmarked = describe(state.previous);
  }
  const element = document.activeElement;
  state.previous = null;
  if (!element || element === document.body || !element.closest('main')) return { ...result, inMain: false };
  const box = element.getBoundingClientRect();
  const repeated = state.seen.has(element);
  state.seen.add(element);
  state.previous = element;
  state.look = look(element);
  return { ...result, inMain: true, repeated, what: describe(element), shown: box.width > 0 && box.height > 0 };
}

// Tab from the start of <main> through its controls: the focus must move to a new, visible element with a visible
// focus indicator each time, until it leaves main after the last one.
async function checkTabOrder(page) {
  const tabbable = await page.evaluate(() => [...document.querySelectorAll(
    'main a[href], main button:not(:disabled), main input:not(:disabled):not([type="hidden"]), main select, '
    + 'main textarea, main summary, main [tabindex]:not([tabindex="-1"])')]
    .filter((element) => (element.checkVisibility ? element.checkVisibility({ checkVisibilityCSS: true })
      : element.getClientRects().length > 0)).length);
  if (tabbable === 0) return ['nothing in main can take the focus'];
  await page.evaluate(() => {
    window.a11yFocusState = null;
    document.getElementById('main').focus();
  });
  const problems = [];
  let moves = 0;
  for (let press = 1; press <= Math.min(tabbable + 1, 80); press += 1) {
    await page.keyboard.press('Tab');
    const step = await page.evaluate(stepFocus);
    if (step.unmarked) problems.push(`${step.unmarked} shows no focus indicator`);
    if (!step.inMain) break;
    if (step.repeated) problems.push(`Tab ${press} did not move the focus from ${step.what}`);
    if (!step.shown) problems.push(`Tab ${press} focused ${step.what}, which is not shown`);
    moves += 1;
  }
  if (moves < Math.min(tabbable, 5)) problems.push(`Tab reached ${moves} of the ${tabbable} controls in main`);
  return problems;
}

browserTest('accessibility', async ({ page, api, open, shot, expect }) => {
  const seeded = await seed(api);
  const problems = [];
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 800 });
    for (const route of routes(seeded)) {
      await open(route.hash);
      if (route.ready) await page.locator(route.ready).waitFor();
      // Charts and layouts settle on resize and on their own requests; give them a frame or two.
      await page.waitForTimeout(150);
      // The screenshot comes before the Tab walk, which scrolls boxes and leaves the focus on the skip link.
      if (width === 390 && (route.name === 'runs' || route.name === 'run')) await shot(`narrow-${route.name}`);
      const found = [...await page.evaluate(inspectPage), ...await checkTabOrder(page)];
      for (const problem of found) problems.push(`${route.name} at ${width} px: ${problem}`);
    }
  }
  expect.ok(problems.length === 0, `no accessibility problem, found:\n  ${problems.join('\n  ')}\n`);
});
