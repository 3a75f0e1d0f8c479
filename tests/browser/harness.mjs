// What every browser test shares: headless Chromium through playwright-core, the server under test, seeding through
// the REST API, screenshots, and the checks that hold on every page (no console error, no failed request).
//
// A test is a module run by node (started by browser_ui_test, which starts the server):
//   import { browserTest } from './harness.mjs';
//   browserTest('experiments', async ({ page, api, open, shot, expect }) => { ... });
// Environment: MLFLOWCPP_UI_URL (the server's base URL), MLFLOWCPP_SCREENSHOT_DIR (optional),
// MLFLOWCPP_CHROMIUM (the browser binary, default /usr/bin/chromium), MLFLOWCPP_UI_USER and MLFLOWCPP_UI_PASSWORD
// (optional: HTTP basic-auth credentials, given by the browser when the server asks and sent by restApi).

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

// playwright-core is installed globally by scripts/install-deps.sh (a test-only npm package, like s3rver).
function loadPlaywright() {
  const require = createRequire(import.meta.url);
  try {
    return require('playwright-core');
  } catch {
    try {
      const globalRoot = execFileSync('npm', ['root', '-g'], { encoding: 'utf8' }).trim();
      return require(path.join(globalRoot, 'playwright-core'));
    } catch {
      throw new TestFailure('the npm package playwright-core is missing: '
        + 'install it with scripts/install-deps.sh --test');
    }
  }
}

// The credentials of MLFLOWCPP_UI_USER / MLFLOWCPP_UI_PASSWORD, or null when the server needs none.
export function credentials() {
  const username = process.env.MLFLOWCPP_UI_USER || '';
  return username ? { username, password: process.env.MLFLOWCPP_UI_PASSWORD || '' } : null;
}

function authorizationHeader() {
  const given = credentials();
  if (!given) return {};
  const token = Buffer.from(`${given.username}:${given.password}`).toString('base64');
  return { Authorization: `Basic ${token}` };
}

export class TestFailure extends Error {}

// Minimal assertions that name what was expected.
export const expect = {
  equal(actual, expected, what) {
    if (actual !== expected) throw new TestFailure(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  },
  ok(condition, what) {
    if (!condition) throw new TestFailure(`${what}: expected to hold`);
  },
  contains(text, part, what) {
    if (!String(text).includes(part)) throw new TestFailure(`${what}: expected ${JSON.stringify(String(text).slice(0, 400))} to contain ${JSON.stringify(part)}`);
  },
};

// The REST API of the server under test, for seeding and for checking what the UI changed.
export function restApi(baseUrl) {
  async function call(method, apiPath, body) {
    const url = `${baseUrl}/api/2.0/mlflow/${apiPath}`;
    const response = await fetch(url, {
      method,
      headers: { ...authorizationHeader(), ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new TestFailure(`${method} ${apiPath} -> ${response.status} ${text}`);
    return text ? JSON.parse(text) : {};
  }
  return {
    get: (apiPath, params) => call('GET', apiPath + (params ? `?${new URLSearchParams(params)}` : '')),
    post: (apiPath, body) => call('POST', apiPath, body || {}),
    patch: (apiPath, body) => call('PATCH', apiPath, body || {}),
    async createExperiment(name, tags) {
      return (await call('POST', 'experiments/create', { name, tags })).experiment_id;
    },
    async createRun(experimentId, { name, startTime, tags } = {}) {
      const answer = await call('POST', 'runs/create',
        { experiment_id: experimentId, run_name: name, start_time: startTime ?? Date.now(), tags });
      return answer.run.info.run_id;
    },
    logBatch(runId, { metrics = [], params = [], tags = [] }) {
      return call('POST', 'runs/log-batch', { run_id: runId, metrics, params, tags });
    },
    endRun(runId, status = 'FINISHED', endTime = Date.now()) {
      return call('POST', 'runs/update', { run_id: runId, status, end_time: endTime });
    },
    // Uploads an artifact file of a run through the server's artifact proxy (mlflow-artifacts).
    async uploadArtifact(runId, artifactPath, content, contentType = 'application/octet-stream') {
      const run = (await call('GET', `runs/get?run_id=${runId}`)).run;
      await putArtifact(run.info.artifact_uri, artifactPath, content, contentType);
    },
    // The same for an MLflow 3 logged model's artifacts.
    async uploadModelArtifact(modelId, artifactPath, content, contentType = 'application/octet-stream') {
      const { model } = await call('GET', `logged-models/${modelId}`);
      await putArtifact(model.info.artifact_uri, artifactPath, content, contentType);
    },
  };

  // PUT <file> under an mlflow-artifacts:/ root, as the Python client uploads through a proxying server.
  async function putArtifact(artifactUri, artifactPath, content, contentType) {
    const root = artifactUri.replace(/^mlflow-artifacts:/, '');
    const url = `${baseUrl}/api/2.0/mlflow-artifacts/artifacts${root}/${artifactPath}`;
    const headers = { ...authorizationHeader(), 'Content-Type': contentType };
    const response = await fetch(url, { method: 'PUT', headers, body: content });
    if (!response.ok) throw new TestFailure(`PUT ${url} -> ${response.status} ${await response.text()}`);
  }
}

// Through a tags editor (`tags`, its section's locator) whose tags include `obsolete`: adds stage=candidate and
// removes obsolete, waiting until the page shows both changes.
export async function addStageTagAndRemoveObsolete(tags) {
  await tags.getByLabel('New tag key').fill('stage');
  await tags.getByLabel('New tag value').fill('candidate');
  await tags.getByRole('button', { name: 'Add tag' }).click();
  await tags.locator('td', { hasText: 'candidate' }).waitFor();
  await tags.getByRole('button', { name: 'Remove tag obsolete' }).click();
  await tags.getByRole('button', { name: 'Remove tag obsolete' }).waitFor({ state: 'detached' });
}

// Runs one browser test: launches Chromium, opens a page, calls `body`, then checks that no console error and no
// failed request happened. Exits the process with 0 on success, 1 with the reason on failure.
export async function browserTest(name, body, { allowedFailures = [] } = {}) {
  const baseUrl = (process.env.MLFLOWCPP_UI_URL || '').replace(/\/$/, '');
  if (!baseUrl) {
    console.error('MLFLOWCPP_UI_URL is not set');
    process.exit(2);
  }
  const screenshotDir = process.env.MLFLOWCPP_SCREENSHOT_DIR || '';
  if (screenshotDir) mkdirSync(screenshotDir, { recursive: true });
  const executablePath = process.env.MLFLOWCPP_CHROMIUM || '/usr/bin/chromium';
  let chromium;
  try {
    if (!existsSync(executablePath)) {
      throw new TestFailure(`Chromium is missing at ${executablePath}: install it with scripts/install-deps.sh --test`);
    }
    ({ chromium } = loadPlaywright());
  } catch (error) {
    console.error(`${name}: ${error.message}`);
    process.exit(1);
  }
  const browser = await chromium.launch({
    executablePath,
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
  });
  const problems = [];
  let failed = false;
  try {
    const httpCredentials = credentials() ?? undefined;
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, httpCredentials });
    const page = await context.newPage();
    page.setDefaultTimeout(15000);
    // Expected failures (a test that provokes a server error on purpose) are matched by URL part and status.
    const allowed = (url, status) => allowedFailures.some((rule) =>
      url.includes(rule.url) && (rule.status === undefined || rule.status === status));
    page.on('console', (message) => {
      if (message.type() === 'error' && !allowedFailures.some((rule) => rule.console && message.text().includes(rule.console))) {
        // Chromium reports every 4xx/5xx response as a console error too; those are judged by the response rule.
        if (/Failed to load resource: the server responded with a status of/.test(message.text())) return;
        problems.push(`console error: ${message.text()}`);
      }
    });
    page.on('pageerror', (error) => problems.push(`uncaught exception: ${error.message}`));
    page.on('requestfailed', (request) => {
      const failure = request.failure();
      // A navigation away cancels pending requests; that is not a failure of the page.
      if (failure && /ERR_ABORTED/.test(failure.errorText)) return;
      problems.push(`request failed: ${request.method()} ${request.url()} ${failure ? failure.errorText : ''}`);
    });
    page.on('response', (response) => {
      if (response.status() >= 400 && !allowed(response.url(), response.status())) {
        problems.push(`request answered ${response.status()}: ${response.request().method()} ${response.url()}`);
      }
    });
    // Opens a hash route of the UI and waits until the page has rendered (no loading box left).
    // The app counts finished renders in <html data-rendered>; waiting for the count to move past the one before
    // the navigation waits for this route's page, not for a previous one.
    const open = async (hash = '#/') => {
      const target = `${baseUrl}/${hash}`;
      if (page.url().startsWith(`${baseUrl}/`)) {
        const before = await page.evaluate(() => Number(document.documentElement.dataset.rendered || 0));
        const changed = await page.evaluate((h) => {
          const previous = window.location.hash;
          window.location.hash = h;
          return window.location.hash !== previous;
        }, hash);
        if (changed) {
          await page.waitForFunction((count) => Number(document.documentElement.dataset.rendered || 0) > count, before);
        }
      } else {
        await page.goto(target);
        await page.waitForFunction(() => Number(document.documentElement.dataset.rendered || 0) > 0);
      }
      await page.waitForFunction(() => !document.querySelector('main .loading'));
    };
    // Runs `action` (a click that makes the app change its route) and waits until the new route has rendered.
    const navigatedBy = async (action) => {
      const before = await page.evaluate(() => Number(document.documentElement.dataset.rendered || 0));
      await action();
      await page.waitForFunction((count) => Number(document.documentElement.dataset.rendered || 0) > count, before);
      await page.waitForFunction(() => !document.querySelector('main .loading'));
    };
    const shot = async (fileName) => {
      if (!screenshotDir) return;
      await page.screenshot({ path: path.join(screenshotDir, `${fileName}.png`), fullPage: false });
    };
    await body({ page, api: restApi(baseUrl), open, navigatedBy, shot, expect, baseUrl, context, browser });
  } catch (error) {
    failed = true;
    console.error(`${name}: ${error instanceof TestFailure ? error.message : error.stack || error}`);
  } finally {
    await browser.close();
  }
  for (const problem of problems) console.error(`${name}: ${problem}`);
  if (failed || problems.length > 0) process.exit(1);
  console.log(`${name}: passed`);
}
