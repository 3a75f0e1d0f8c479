// A server whose database is at MLflow 2.9's schema has no logged models: it answers logged-models/search with an
// error. The Models tab then says so instead of failing, and the run page shows no logged-models section.
import { browserTest } from './harness.mjs';

browserTest('logged_models_mlflow2', async ({ page, api, open, shot, expect }) => {
  const experimentId = await api.createExperiment(`no-logged-models-${Date.now()}`);
  const runId = await api.createRun(experimentId, { name: 'a-run' });
  const main = page.locator('main');

  await open(`#/experiments/${experimentId}/models`);
  const notice = main.locator('.notice[role="note"]');
  expect.contains(await notice.innerText(), 'MLflow 3', 'the notice about logged models');
  expect.equal(await main.locator('.logged-models-view').isVisible(), false, 'no table or search box');
  expect.equal(await main.locator('.error-box').count(), 0, 'no error box');
  expect.equal(await main.locator('nav.view-tabs a[aria-current="page"]').innerText(), 'Models', 'the current tab');
  await shot('models-tab-mlflow2');

  await open(`#/experiments/${experimentId}/runs/${runId}`);
  expect.equal(await main.locator('h1').innerText(), 'a-run', 'the run page');
  // The logged-models search has been answered (with its error) once the artifact tree is there.
  await main.locator('.artifact-tree-box').waitFor();
  await page.waitForLoadState('networkidle');
  expect.equal(await main.locator('section[aria-label="Logged models"]').isVisible(), false,
    'no logged-models section');
}, { allowedFailures: [{ url: 'logged-models/search', status: 400 }] });
