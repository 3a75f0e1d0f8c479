// The run page: facts, description editing, params, metric links, tags, datasets, logged models and the artifact
// tree with its previews.
import { addStageTagAndRemoveObsolete, browserTest } from './harness.mjs';

const MLMODEL = `artifact_path: model
flavors:
  python_function:
    loader_module: mlflow.sklearn
    python_version: 3.11.4
mlflow_version: 3.6.0
model_uuid: 6b7d0f1c2f7a4a4f9a8e0e6f3f0c1d2e
signature:
  inputs: '[{"type": "double", "name": "sepal length (cm)", "required": true}, {"type":
    "double", "name": "sepal width (cm)", "required": true}, {"type": "string", "name": "it''s", "required": false}]'
  outputs: '[{"type": "tensor", "tensor-spec": {"dtype": "int64", "shape": [-1]}}]'
  params: null
utc_time_created: '2025-01-01 00:00:00.000000'
`;

const CSV = 'city,population,"note, quoted"\nParis,2100000,"a ""big"" one"\nLyon,520000,river\n';

async function seed(api, pngBytes) {
  const experimentId = await api.createExperiment(`run-page-${Date.now()}`);
  const parentId = await api.createRun(experimentId, { name: 'parent-run' });
  const runId = await api.createRun(experimentId, {
    name: 'child-run',
    startTime: Date.now() - 90000,
    tags: [
      { key: 'mlflow.parentRunId', value: parentId },
      { key: 'mlflow.source.name', value: 'train.py' },
      { key: 'mlflow.source.git.commit', value: '0123456789abcdef0123456789abcdef01234567' },
      { key: 'mlflow.user', value: 'alice' },
    ],
  });
  await api.logBatch(runId, {
    params: [{ key: 'alpha', value: '0.5' }, { key: 'optimizer', value: 'adam' }],
    metrics: [
      { key: 'loss', value: 0.9, timestamp: Date.now(), step: 0 },
      { key: 'loss', value: 0.25, timestamp: Date.now(), step: 1 },
      { key: 'accuracy', value: 0.875, timestamp: Date.now(), step: 1 },
    ],
    tags: [{ key: 'team', value: 'vision' }, { key: 'obsolete', value: 'yes' }],
  });
  await api.post('runs/log-inputs', {
    run_id: runId,
    datasets: [{
      tags: [{ key: 'mlflow.data.context', value: 'training' }],
      dataset: { name: 'iris', digest: 'abc123', source_type: 'local', source: '{"uri": "/data/iris.csv"}',
        schema: '{"mlflow_colspec": [{"type": "double", "name": "sepal length (cm)"}]}',
        profile: '{"num_rows": 150}' },
    }],
  });
  await api.uploadArtifact(runId, 'notes.txt', 'hello from the run\n', 'text/plain');
  await api.uploadArtifact(runId, 'config.json', '{"layers":[64,32],"dropout":0.1}', 'application/json');
  await api.uploadArtifact(runId, 'config.yaml', 'layers:\n  - 64\n  - 32\n', 'text/yaml');
  await api.uploadArtifact(runId, 'model/MLmodel', MLMODEL, 'text/plain');
  await api.uploadArtifact(runId, 'data/table.csv', CSV, 'text/csv');
  await api.uploadArtifact(runId, 'plots/curve.png', pngBytes, 'image/png');
  await api.uploadArtifact(runId, 'big.log', 'x'.repeat(1024 * 1024 + 10), 'text/plain');
  await api.post('logged-models', { experiment_id: experimentId, name: 'iris-model', source_run_id: runId });
  await api.endRun(runId);
  return { experimentId, parentId, runId };
}

// A PNG drawn by the browser itself, so the test needs no image file.
async function drawPng(page) {
  const base64 = await page.evaluate(() => {
    const canvas = document.createElement('canvas');
    canvas.width = 120;
    canvas.height = 60;
    const context = canvas.getContext('2d');
    const gradient = context.createLinearGradient(0, 0, 120, 0);
    gradient.addColorStop(0, '#0b6bcb');
    gradient.addColorStop(1, '#43c9ed');
    context.fillStyle = gradient;
    context.fillRect(0, 0, 120, 60);
    return canvas.toDataURL('image/png').split(',')[1];
  });
  return Buffer.from(base64, 'base64');
}

async function selectArtifact(page, path) {
  await page.locator(`[role="treeitem"][data-path="${path}"] > .tree-row`).click();
  await page.waitForFunction(() => !document.querySelector('.artifact-preview .loading'));
}

async function openFolder(page, path) {
  const item = page.locator(`[role="treeitem"][data-path="${path}"]`);
  if ((await item.getAttribute('aria-expanded')) !== 'true') await item.locator(':scope > .tree-row').click();
  await page.locator(`[role="treeitem"][data-path="${path}"] [role="treeitem"]`).first().waitFor();
}

browserTest('run', async ({ page, api, open, shot, expect }) => {
  await open('#/');
  const { experimentId, parentId, runId } = await seed(api, await drawPng(page));
  const runHash = `#/experiments/${experimentId}/runs/${runId}`;
  await open(runHash);

  const main = page.locator('main');
  expect.equal(await main.locator('h1').innerText(), 'child-run', 'the run name');
  expect.equal(await main.locator('.deleted-banner').count(), 0, 'no deleted banner on an active run');
  expect.equal((await main.innerText()).includes('null'), false, 'no stray null');
  const facts = await main.locator('dl.run-facts').innerText();
  for (const part of [runId, 'FINISHED', 'train.py', '0123456', 'alice', 'active', '1.5min']) {
    expect.contains(facts, part, 'the run facts');
  }
  expect.equal(await main.locator(`dl.run-facts a[href="#/experiments/${experimentId}/runs/${parentId}"]`).count(),
    1, 'the parent run link');
  expect.equal(await main.locator(`nav.breadcrumb a[href="#/experiments/${experimentId}"]`).count(), 1,
    'the breadcrumb to the experiment');
  const params = await main.locator('table.params').innerText();
  expect.contains(params, 'optimizer', 'the params');
  expect.contains(params, 'adam', 'the params');
  const metrics = await main.locator('table.metrics').innerText();
  expect.contains(metrics, '0.25', 'the latest loss');
  expect.contains(metrics, '0.875', 'the accuracy');
  const datasets = await main.locator('table.datasets').innerText();
  for (const part of ['iris', 'abc123', 'local', 'training']) expect.contains(datasets, part, 'the dataset inputs');
  await main.locator('table.datasets summary', { hasText: 'Schema' }).click();
  expect.contains(await main.locator('table.datasets').innerText(), 'mlflow_colspec', 'the dataset schema');
  await main.locator('section[aria-label="Logged models"]:not([hidden])').waitFor();
  const models = await main.locator('table.logged-models').innerText();
  expect.contains(models, 'iris-model', 'the logged model');
  expect.contains(models, 'PENDING', 'the logged model status');

  await page.evaluate(() => window.scrollTo(0, 0));
  await shot('run');

  // Tags: system tags hidden until asked for.
  const tags = main.locator('section.tags-editor');
  expect.contains(await tags.innerText(), 'team', 'a user tag');
  expect.equal((await tags.locator('table').innerText()).includes('mlflow.source.name'), false,
    'system tags are hidden');
  await tags.getByLabel(/Show system tags/).check();
  expect.contains(await tags.locator('table').innerText(), 'mlflow.source.name', 'the shown system tags');

  // Description: edited in place and saved as the mlflow.note.content tag.
  await main.getByRole('button', { name: 'Edit the description of the run' }).click();
  await main.getByRole('textbox', { name: 'Description of the run' }).fill('Baseline with **adam**.');
  await main.getByRole('button', { name: 'Save' }).click();
  await main.locator('.description-text', { hasText: 'Baseline with' }).waitFor();
  const saved = await api.get('runs/get', { run_id: runId });
  const note = saved.run.data.tags.find((tag) => tag.key === 'mlflow.note.content');
  expect.equal(note && note.value, 'Baseline with **adam**.', 'the saved description');

  // Adding and removing tags.
  await addStageTagAndRemoveObsolete(tags);
  const tagged = new Map((await api.get('runs/get', { run_id: runId })).run.data.tags.map((t) => [t.key, t.value]));
  expect.equal(tagged.get('stage'), 'candidate', 'the added tag');
  expect.equal(tagged.has('obsolete'), false, 'the removed tag is gone');

  // Artifacts: previews by kind.
  await selectArtifact(page, 'config.json');
  expect.contains(await main.locator('.artifact-preview pre').innerText(), '"layers": [\n    64,', 'pretty JSON');
  expect.contains(page.url(), `${runHash}/artifactPath/config.json`, 'the address names the selected file');
  await selectArtifact(page, 'config.yaml');
  expect.contains(await main.locator('.artifact-preview pre').innerText(), '  - 64', 'the YAML text');
  await selectArtifact(page, 'big.log');
  expect.contains(await main.locator('.artifact-preview').innerText(), 'larger than 1.0 MiB', 'the size limit');
  const download = main.locator('.artifact-preview a', { hasText: 'Download' });
  expect.contains(await download.getAttribute('href'), `get-artifact?path=big.log&run_uuid=${runId}`, 'the download');
  await openFolder(page, 'data');
  await selectArtifact(page, 'data/table.csv');
  const cells = await main.locator('.artifact-preview table td').allInnerTexts();
  expect.equal(JSON.stringify(cells), JSON.stringify(['Paris', '2100000', 'a "big" one', 'Lyon', '520000', 'river']),
    'the CSV cells');
  expect.equal(await main.locator('.artifact-preview table th').nth(2).innerText(), 'note, quoted', 'a CSV header');
  await openFolder(page, 'plots');
  await selectArtifact(page, 'plots/curve.png');
  const image = main.locator('.artifact-preview img');
  await page.waitForFunction(() => document.querySelector('.artifact-preview img')?.complete);
  expect.ok(await image.evaluate((img) => img.naturalWidth === 120), 'the image is loaded');

  // Keyboard: from the selected image, Up moves to its folder, Left closes it, Home goes to the first item.
  await page.locator('[role="treeitem"][data-path="plots/curve.png"]').focus();
  await page.keyboard.press('ArrowUp');
  expect.equal(await page.evaluate(() => document.activeElement.dataset.path), 'plots', 'ArrowUp');
  await page.keyboard.press('ArrowLeft');
  expect.equal(await page.locator('[role="treeitem"][data-path="plots"]').getAttribute('aria-expanded'), 'false',
    'ArrowLeft closes the folder');
  await page.keyboard.press('Home');
  expect.equal(await page.evaluate(() => document.activeElement.dataset.path), 'data', 'Home');

  // An address naming an artifact opens its folders and shows it: the MLmodel with its signature.
  await open(`${runHash}/artifactPath/model/MLmodel`);
  await page.waitForFunction(() => !document.querySelector('.artifact-preview .loading'));
  const inputs = await main.locator('table[aria-label="Inputs schema"]').innerText();
  expect.contains(inputs, 'sepal width (cm)', 'a folded signature input');
  expect.contains(inputs, "it's", 'a quoted signature input');
  expect.contains(inputs, 'optional', 'an optional input');
  expect.contains(await main.locator('table[aria-label="Outputs schema"]').innerText(), 'Tensor (dtype: int64',
    'the tensor output');
  await main.locator('section.run-artifacts').scrollIntoViewIfNeeded();
  await shot('run-artifacts');

  // The metric link opens the metric page for this run.
  await main.locator('table.metrics a', { hasText: 'loss' }).click();
  await page.waitForFunction(() => window.location.hash.startsWith('#/metric'));
  const query = new URLSearchParams(decodeURIComponent(new URL(page.url()).hash).split('?')[1]);
  expect.equal(query.get('runs'), JSON.stringify([runId]), 'the metric link runs');
  expect.equal(query.get('metric'), '"loss"', 'the metric link key');
  expect.equal(query.get('experiments'), JSON.stringify([experimentId]), 'the metric link experiments');

  // A deleted run shows a banner.
  await api.post('runs/delete', { run_id: parentId });
  await open(`#/experiments/${experimentId}/runs/${parentId}`);
  expect.contains(await main.locator('.deleted-banner').innerText(), 'deleted', 'the deleted banner');
});
