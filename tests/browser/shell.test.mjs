// The UI's shell: served at /, routes by the official hash URLs, shows a clear message for an unknown route.
import { browserTest } from './harness.mjs';

browserTest('shell', async ({ page, open, expect }) => {
  await open('#/');
  expect.equal(await page.locator('header .brand').count(), 1, 'the top bar');
  await open('#/no/such/page');
  expect.contains(await page.locator('main').innerText(), 'No page at', 'the unknown route message');
  await open('#/models');
  expect.equal(await page.locator('nav a[aria-current="page"]').innerText(), 'Models', 'the current section');
});
