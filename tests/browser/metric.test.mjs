// The metric page: a 1,000,000-point history is shown quickly from down-sampled requests (never every point), hover
// reads values, the x axis, log scale, smoothing and hidden series land in the URL, and a drag-zoom refetches only
// the visible steps.
import { browserTest } from './harness.mjs';

const BIG_POINTS = 1000000;
const BATCH = 1000;
const IN_FLIGHT = 6;
const MISSING_RUN = '0123456789abcdef0123456789abcdef';

async function seedBigHistory(api, runId, startTime) {
  let next = 0;
  const worker = async () => {
    while (next < BIG_POINTS) {
      const first = next;
      next += BATCH;
      const metrics = [];
      for (let step = first; step < first + BATCH; step += 1) {
        const value = 0.05 + Math.exp(-step / 250000) * (1 + 0.15 * Math.sin(step / 20000));
        metrics.push({ key: 'loss', value, step, timestamp: startTime + step * 10 });
      }
      await api.logBatch(runId, { metrics });
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
}

async function seed(api) {
  const experimentId = await api.createExperiment(`metric-page-${Date.now()}`);
  const startTime = Date.now() - 3 * 3600 * 1000;
  const big = await api.createRun(experimentId, { name: 'long-training', startTime });
  const small = await api.createRun(experimentId, { name: 'short-training', startTime });
  await seedBigHistory(api, big, startTime);
  const smallMetrics = [];
  for (let step = 0; step < 200; step += 1) {
    const at = { step: step * 5000, timestamp: startTime + step * 50000 };
    smallMetrics.push({ key: 'loss', value: 1.2 * Math.exp(-step / 60), ...at });
    smallMetrics.push({ key: 'accuracy', value: step === 7 ? 'NaN' : 1 - Math.exp(-step / 40), ...at });
  }
  await api.logBatch(small, { metrics: smallMetrics });
  await api.logBatch(big, { metrics: [{ key: 'accuracy', value: 0.9, step: 0, timestamp: startTime }] });
  return { experimentId, big, small };
}

// Every get-history-bulk-interval answer the page receives: its parameters and the points per run.
function recordIntervalCalls(page) {
  const calls = [];
  page.on('response', (response) => {
    if (!response.url().includes('metrics/get-history-bulk-interval')) return;
    const params = new URL(response.url()).searchParams;
    const call = { params, counts: null };
    calls.push(call);
    call.done = response.json().then((body) => {
      call.counts = {};
      for (const metric of body.metrics || []) call.counts[metric.run_id] = (call.counts[metric.run_id] || 0) + 1;
    });
  });
  return calls;
}

function hashQuery(page) {
  const hash = decodeURIComponent(new URL(page.url()).hash);
  return new URLSearchParams(hash.slice(hash.indexOf('?') + 1));
}

async function waitForStatus(page, text) {
  await page.waitForFunction((part) => document.querySelector('.chart-status')?.textContent.includes(part), text);
}

browserTest('metric', async ({ page, api, open, shot, expect }) => {
  const { experimentId, big, small } = await seed(api);
  const calls = recordIntervalCalls(page);
  const runs = encodeURIComponent(JSON.stringify([big, small]));
  const started = Date.now();
  const experiments = encodeURIComponent(JSON.stringify([experimentId]));
  await open(`#/metric?runs=${runs}&metric=${encodeURIComponent('"loss"')}&experiments=${experiments}`);
  await waitForStatus(page, 'points shown');
  const elapsed = Date.now() - started;
  expect.ok(elapsed < 5000, `the 1,000,000-point chart renders within 5 s (took ${elapsed} ms)`);
  console.log(`metric: the 1,000,000-point chart drawn ${elapsed} ms after opening the page`);
  expect.contains(await page.locator('main h1').innerText(), 'loss', 'the title');
  expect.equal(await page.locator('.chart-runs a').count(), 2, 'links to both runs');
  expect.contains(await page.locator('.chart-runs a').first().getAttribute('href'), `/runs/${big}`, 'the run link');

  await Promise.all(calls.map((call) => call.done));
  expect.ok(calls.length >= 1, 'the histories come from get-history-bulk-interval');
  for (const call of calls) {
    const maxResults = Number(call.params.get('max_results'));
    expect.ok(maxResults >= 1 && maxResults <= 2500, `max_results within 1..2500 (${maxResults})`);
    for (const [runId, count] of Object.entries(call.counts)) {
      expect.ok(count <= maxResults, `run ${runId}: ${count} points at most max_results ${maxResults}`);
    }
  }
  expect.ok(calls[0].counts[big] > 100, 'the long history is sampled across its range');

  const canvas = page.locator('canvas.chart-canvas');
  expect.contains(await canvas.getAttribute('aria-label'), 'Line chart of loss', 'the chart has an accessible name');
  expect.equal(await page.locator('figure.line-chart table.sr-only tbody tr').count(), 2, 'the screen-reader summary');
  const box = await canvas.boundingBox();
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5);
  await page.locator('.chart-tooltip').waitFor({ state: 'visible' });
  const value = await page.locator('.chart-tooltip .chart-tooltip-value').first().innerText();
  expect.ok(Number.isFinite(Number(value)), `hover shows a value (${value})`);
  expect.contains(await page.locator('.chart-tooltip').innerText(), 'step', 'hover shows the step');

  await page.selectOption('select[aria-label="X axis"]', 'relative');
  expect.equal(hashQuery(page).get('x_axis'), '"relative"', 'the x axis in the URL');
  await page.check('input[name="log"]');
  expect.equal(hashQuery(page).get('y_axis_scale'), '"log"', 'the log scale in the URL');
  await page.locator('input[name="smoothing"]').fill('0.8');
  expect.equal(hashQuery(page).get('line_smoothness'), '0.8', 'the smoothing in the URL');
  await page.locator('.chart-legend-item').nth(1).click();
  expect.equal(hashQuery(page).get('deselected_curves'), JSON.stringify([`${small}:loss`]), 'hidden series in the URL');
  await page.locator('.chart-legend-item').nth(1).click();
  await shot('metric');

  await page.selectOption('select[aria-label="X axis"]', 'step');
  await page.uncheck('input[name="log"]');
  const before = calls.length;
  await page.mouse.move(box.x + box.width * 0.4, box.y + box.height * 0.5);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.45, box.y + box.height * 0.5, { steps: 4 });
  await page.mouse.up();
  await waitForStatus(page, 'in detail');
  const zoomCalls = calls.slice(before).filter((call) => call.params.has('start_step'));
  expect.ok(zoomCalls.length >= 1, 'a zoom refetches with start_step/end_step');
  await Promise.all(zoomCalls.map((call) => call.done));
  const [zoom] = zoomCalls;
  const start = Number(zoom.params.get('start_step'));
  const end = Number(zoom.params.get('end_step'));
  expect.ok(start > 0 && end > start && end - start < BIG_POINTS / 4, `the visible steps (${start}..${end})`);
  expect.ok(zoom.counts[big] <= Number(zoom.params.get('max_results')), 'the detail is bounded by max_results too');
  await shot('metric-zoomed');
  await page.locator('canvas.chart-canvas').dblclick({ position: { x: box.width / 2, y: box.height / 2 } });
  await waitForStatus(page, 'points shown.');

  const beforeWheel = calls.length;
  await page.mouse.move(box.x + box.width * 0.7, box.y + box.height * 0.5);
  await page.mouse.wheel(0, -400);
  await waitForStatus(page, 'in detail');
  expect.ok(calls.slice(beforeWheel).some((call) => call.params.has('end_step')), 'a wheel zoom refetches the range');
  await page.locator('canvas.chart-canvas').dblclick({ position: { x: box.width / 2, y: box.height / 2 } });
  await waitForStatus(page, 'points shown.');

  await page.selectOption('select[name="add-metric"]', 'accuracy');
  await waitForStatus(page, 'points shown');
  expect.equal(hashQuery(page).get('plot_metric_keys'), JSON.stringify(['loss', 'accuracy']), 'the overlaid keys');
  expect.equal(await page.locator('.chart-legend-item').count(), 4, 'a series per run and key');

  // The newer URL form, with its key in the path.
  const smallOnly = encodeURIComponent(JSON.stringify([small]));
  await open(`#/metric/accuracy?runs=${smallOnly}&plot_metric_keys=${encodeURIComponent('["accuracy"]')}`);
  await waitForStatus(page, 'points shown');
  expect.equal(await page.locator('.chart-legend-item').count(), 1, 'one series');
  expect.contains(await page.locator('main h1').innerText(), 'accuracy', 'the title of the newer URL form');

  // A run that does not exist is named in an error; the others are still charted.
  await open(`#/metric/loss?runs=${encodeURIComponent(JSON.stringify([MISSING_RUN, small]))}`);
  await waitForStatus(page, 'points shown');
  expect.contains(await page.locator('main .error-box').innerText(), MISSING_RUN, 'the missing run is named');
  expect.equal(await page.locator('.chart-legend-item').count(), 1, 'the existing run is charted');
}, { allowedFailures: [{ url: `run_id=${MISSING_RUN}`, status: 404 }] });
