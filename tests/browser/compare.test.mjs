// The compare-runs page: runs from two experiments side by side with differing rows highlighted and a switch to show
// only those, the chart of a chosen metric, a scatter plot and parallel coordinates with one mark per run.
import { browserTest } from './harness.mjs';

async function seed(api) {
  const first = await api.createExperiment(`compare-a-${Date.now()}`);
  const second = await api.createExperiment(`compare-b-${Date.now()}`);
  const startTime = Date.now() - 3600 * 1000;
  const specs = [
    { experiment: first, name: 'adam-small', lr: '0.001', optimizer: 'adam', loss: 0.31, accuracy: 0.91 },
    { experiment: first, name: 'adam-large', lr: '0.01', optimizer: 'adam', loss: 0.22, accuracy: 0.94 },
    { experiment: second, name: 'sgd-momentum', lr: '0.1', optimizer: 'sgd', loss: 0.45, accuracy: 0.87 },
  ];
  const runIds = [];
  for (const spec of specs) {
    const runId = await api.createRun(spec.experiment, { name: spec.name, startTime });
    const metrics = [];
    for (let step = 0; step < 50; step += 1) {
      const fraction = step / 49;
      metrics.push({ key: 'loss', value: spec.loss + (1 - fraction) ** 2, step, timestamp: startTime + step * 60000 });
      metrics.push({ key: 'accuracy', value: spec.accuracy * (0.5 + 0.5 * fraction), step,
        timestamp: startTime + step * 60000 });
    }
    await api.logBatch(runId, {
      metrics,
      params: [{ key: 'lr', value: spec.lr }, { key: 'optimizer', value: spec.optimizer },
        { key: 'epochs', value: '10' }],
      tags: [{ key: 'team', value: 'vision' }],
    });
    await api.endRun(runId);
    runIds.push(runId);
  }
  return { runIds, experiments: [first, second] };
}

browserTest('compare', async ({ page, api, open, shot, expect }) => {
  const { runIds, experiments } = await seed(api);
  const json = (value) => encodeURIComponent(JSON.stringify(value));
  await open(`#/compare-runs?runs=${json(runIds)}&experiments=${json(experiments)}`);
  await page.waitForFunction(() => document.querySelector('.chart-status')?.textContent.includes('points shown'));

  expect.contains(await page.locator('main h1').innerText(), 'Comparing 3 runs', 'the title');
  expect.equal(await page.locator('.compare-table thead th a').count(), 3, 'a column per run');
  const row = (label) => page.locator('.compare-table tr', { has: page.locator(`th:text-is("${label}")`) });
  expect.equal(await row('lr').getAttribute('data-differs'), 'true', 'differing params are marked');
  expect.ok((await row('lr').getAttribute('class') || '').includes('diff'), 'differing rows are highlighted');
  expect.equal(await row('epochs').getAttribute('data-differs'), 'false', 'equal params are not marked');
  expect.equal(await row('loss').getAttribute('data-differs'), 'true', 'differing metrics are marked');
  expect.equal(await row('Experiment').getAttribute('data-differs'), 'true', 'runs from two experiments');
  await page.check('input[name="only-differences"]');
  expect.ok(await row('epochs').isHidden(), 'only differences: equal rows hidden');
  expect.ok(await row('lr').isVisible(), 'only differences: differing rows shown');
  await page.uncheck('input[name="only-differences"]');
  expect.ok(await row('epochs').isVisible(), 'all rows again');

  expect.equal(await page.locator('.compare-chart .chart-legend-item').count(), 3, 'a chart line per run');
  await page.selectOption('select[name="chart-metric"]', 'loss');
  await page.waitForFunction(() => document.querySelector('.compare-chart canvas')?.getAttribute('aria-label')
    .includes('Line chart of loss'));
  await page.locator('.compare-chart canvas').hover();
  await page.locator('.compare-chart .chart-tooltip').waitFor({ state: 'visible' });
  expect.equal(await page.locator('.compare-chart .chart-tooltip-row').count(), 3, 'hover shows each run');

  expect.equal(await page.locator('.scatter-plot circle.scatter-point').count(), 3, 'a scatter dot per run');
  await page.selectOption('select[name="scatter-x"]', 'param:optimizer');
  await page.selectOption('select[name="scatter-y"]', 'metric:accuracy');
  expect.equal(await page.locator('.scatter-plot circle.scatter-point').count(), 3, 'categorical x: a dot per run');
  await page.locator('.scatter-plot circle.scatter-point').first().hover();
  expect.contains(await page.locator('.compare-scatter .plot-hover').innerText(), 'optimizer = ', 'hover names a run');

  expect.equal(await page.locator('.parallel-coordinates polyline.pc-line').count(), 3, 'a polyline per run');
  expect.equal(await page.locator('.parallel-coordinates .pc-axis').count(), 5, 'an axis per param and metric');
  await page.uncheck('input[name="parallel-axis"][value="param:epochs"]');
  expect.equal(await page.locator('.parallel-coordinates .pc-axis').count(), 4, 'axes follow the choice');
  // Hover where the second run's line meets the first axis (a polyline's box centre need not be on its stroke).
  const line = page.locator('.parallel-coordinates polyline.pc-line').nth(1);
  const [firstX, firstY] = (await line.getAttribute('points')).split(' ')[0].split(',').map(Number);
  const svgBox = await page.locator('.parallel-coordinates').boundingBox();
  const viewBox = (await page.locator('.parallel-coordinates').getAttribute('viewBox')).split(' ').map(Number);
  const scale = svgBox.width / viewBox[2];
  await page.mouse.move(svgBox.x + (firstX + 20) * scale, svgBox.y + firstY * scale);
  await page.mouse.move(svgBox.x + firstX * scale + 1, svgBox.y + firstY * scale);
  expect.ok(await page.locator('.parallel-coordinates polyline.highlighted').count() >= 1, 'hover highlights a run');
  expect.contains(await page.locator('.compare-parallel .plot-hover').innerText(), 'lr = ', 'hover names the run');
  await page.mouse.move(0, 0);
  await line.focus();
  expect.equal(await page.locator('.parallel-coordinates polyline.highlighted').count(), 1, 'focus highlights a run');
  await page.mouse.move(0, 0);
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot('compare');

  const metricLink = await page.locator('.compare-chart a.chart-open').getAttribute('href');
  expect.contains(metricLink, '#/metric/loss?runs=', 'the chart links to the metric page');
});
