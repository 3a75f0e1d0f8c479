// The registry pages: the models list (filter in the address, paging, creating), a model (description, tags,
// aliases, versions, deleting) and a version (stage transition, description, source run, schema from MLmodel).
import { browserTest } from './harness.mjs';

const MLMODEL = `artifact_path: model
flavors:
  python_function:
    loader_module: mlflow.sklearn
signature:
  inputs: '[{"type": "double", "name": "petal length (cm)", "required": true}]'
  outputs: '[{"type": "long", "name": "class", "required": true}]'
  params: null
`;

async function seed(api) {
  const experimentId = await api.createExperiment(`registry-${Date.now()}`);
  const runId = await api.createRun(experimentId, { name: 'training-run' });
  await api.uploadArtifact(runId, 'model/MLmodel', MLMODEL, 'text/plain');
  const { run } = await api.get('runs/get', { run_id: runId });
  const name = 'iris-classifier';
  await api.post('registered-models/create', { name, description: 'Classifies irises.',
    tags: [{ key: 'team', value: 'vision' }] });
  for (let index = 0; index < 3; index++) {
    await api.post('model-versions/create', { name, source: `${run.info.artifact_uri}/model`, run_id: runId });
  }
  await api.post('model-versions/transition-stage', { name, version: '2', stage: 'Production',
    archive_existing_versions: false });
  await api.post('model-versions/transition-stage', { name, version: '3', stage: 'Staging',
    archive_existing_versions: false });
  await api.post('registered-models/alias', { name, alias: 'champion', version: '2' });
  await api.post('model-versions/set-tag', { name, version: '2', key: 'validated', value: 'true' });
  await api.post('registered-models/create', { name: 'penguin-regressor', tags: [{ key: 'owner', value: 'zoo' }] });
  return { experimentId, runId, name };
}

async function modelNames(page) {
  return page.locator('table.models tbody tr td:first-child').allInnerTexts();
}

browserTest('registry', async ({ page, api, open, navigatedBy, shot, expect }) => {
  const { experimentId, runId, name } = await seed(api);
  const main = page.locator('main');

  // The list: latest versions per stage, aliases, tags; the filter is kept in the address; paging.
  await open('#/models');
  const row = main.locator('table.models tr', { has: page.locator(`a[href="#/models/${name}"]`) });
  const rowText = await row.innerText();
  for (const part of ['Version 3', 'Version 2', '@champion: v2', 'team: vision']) {
    expect.contains(rowText, part, 'the model row');
  }
  expect.equal(await row.locator(`a[href="#/models/${name}/versions/2"]`).count(), 2,
    'links to the production version (stage and alias)');
  await shot('models');
  for (let index = 0; index < 27; index++) {
    await api.post('registered-models/create', { name: `paged-${String(index).padStart(2, '0')}` });
  }
  await main.getByLabel('Filter models by name').fill('paged-');
  await navigatedBy(() => main.getByRole('button', { name: 'Search' }).click());
  expect.equal(await page.evaluate(() => window.location.hash), '#/models?searchInput=paged-', 'the filter in the URL');
  expect.equal((await modelNames(page)).length, 25, 'the first page');
  await main.getByRole('button', { name: 'Next page' }).click();
  await main.locator('.pager', { hasText: 'Page 2' }).waitFor();
  expect.equal(JSON.stringify(await modelNames(page)), JSON.stringify(['paged-25', 'paged-26']), 'the second page');
  await open('#/models?searchInput=iris');
  expect.equal(JSON.stringify(await modelNames(page)), JSON.stringify([name]), 'the filter from the address');
  expect.equal(await main.getByLabel('Filter models by name').inputValue(), 'iris', 'the filter box');

  // Creating a model opens its page.
  await main.getByLabel('Name of the new model').fill('scratch-model');
  await navigatedBy(() => main.getByRole('button', { name: 'Create model' }).click());
  expect.equal(await page.evaluate(() => window.location.hash), '#/models/scratch-model', 'the new model page URL');
  expect.equal(await main.locator('h1').innerText(), 'scratch-model', 'the new model page');

  // Deleting it asks first.
  await main.getByRole('button', { name: 'Delete model' }).click();
  await main.getByRole('alertdialog').getByRole('button', { name: 'Delete' }).click();
  await page.waitForFunction(() => window.location.hash === '#/models');
  const left = await api.get('registered-models/search', { filter: "name='scratch-model'" });
  expect.equal((left.registered_models || []).length, 0, 'the deleted model is gone');

  // The model page.
  await open(`#/models/${name}`);
  expect.contains(await main.locator('.description-text').innerText(), 'Classifies irises.', 'the description');
  expect.contains(await main.locator('section.tags-editor').innerText(), 'vision', 'the model tags');
  const versions = main.locator('table.versions tbody tr');
  expect.equal(await versions.count(), 3, 'the versions');
  const second = await versions.nth(1).innerText();
  for (const part of ['Version 2', 'Production', 'READY', 'training-run', '@champion']) {
    expect.contains(second, part, 'the version row');
  }
  expect.equal(await versions.nth(1).locator(`a[href="#/experiments/${experimentId}/runs/${runId}"]`).count(), 1,
    'the source run link');
  await main.getByLabel('New alias', { exact: true }).fill('challenger');
  await main.getByLabel('Version of the new alias').fill('3');
  await main.getByRole('button', { name: 'Add alias' }).click();
  await main.locator('.alias-chip', { hasText: '@challenger → v3' }).waitFor();
  const withAlias = (await api.get('registered-models/get', { name })).registered_model;
  expect.ok((withAlias.aliases || []).some((a) => a.alias === 'challenger' && String(a.version) === '3'),
    'the alias was set');

  // The version page.
  await open(`#/models/${name}/versions/2`);
  const versionFacts = await main.locator('dl.version-facts').innerText();
  for (const part of ['Production', 'READY', 'training-run', '/model']) {
    expect.contains(versionFacts, part, 'the version facts');
  }
  expect.equal(await main.locator(`dl.version-facts a[href="#/experiments/${experimentId}/runs/${runId}"]`).count(),
    1, 'the source run link');
  expect.contains(await main.locator('section.aliases-editor').innerText(), '@champion', 'the version alias');
  expect.contains(await main.locator('section.tags-editor').innerText(), 'validated', 'the version tag');
  await main.locator('table[aria-label="Inputs schema"]').waitFor();
  expect.contains(await main.locator('table[aria-label="Inputs schema"]').innerText(), 'petal length (cm)',
    'the schema inputs');
  expect.contains(await main.locator('table[aria-label="Outputs schema"]').innerText(), 'long', 'the schema outputs');
  await main.getByRole('button', { name: 'Edit the description of the version' }).click();
  await main.getByRole('textbox', { name: 'Description of the version' }).fill('Best so far.');
  await main.getByRole('button', { name: 'Save' }).click();
  await main.locator('.description-text', { hasText: 'Best so far.' }).waitFor();
  const described = (await api.get('model-versions/get', { name, version: '2' })).model_version;
  expect.equal(described.description, 'Best so far.', 'the saved version description');
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot('model-version');

  // Promoting version 3 to Production archives version 2.
  await open(`#/models/${name}/versions/3`);
  await main.getByLabel('New stage').selectOption('Production');
  await main.getByLabel('Archive the versions now in that stage').check();
  await main.getByRole('button', { name: 'Transition' }).click();
  await main.locator('dl.version-facts .stage', { hasText: 'Production' }).waitFor();
  const archived = (await api.get('model-versions/get', { name, version: '2' })).model_version;
  expect.equal(archived.current_stage, 'Archived', 'the previous production version');
});
