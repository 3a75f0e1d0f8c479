// The UI behind basic auth: the server asks with WWW-Authenticate, the browser answers with the user's credentials
// (playwright's httpCredentials stand in for the prompt), and the UI's API calls go through with them. A browser
// without credentials gets 401 and the prompt, not the UI.
import { browserTest } from './harness.mjs';

browserTest('auth', async ({ page, api, open, shot, expect, baseUrl, browser }) => {
  const experimentId = await api.createExperiment(`behind-auth-${Date.now()}`);
  await open('#/');
  expect.equal(await page.locator('header .brand').count(), 1, 'the top bar after signing in');
  await shot('signed-in');

  // The page's own relative API calls carry the credentials the browser holds.
  const answer = await page.evaluate(async (id) => {
    const response = await fetch(`ajax-api/2.0/mlflow/experiments/get?experiment_id=${id}`);
    return { status: response.status, body: await response.json() };
  }, experimentId);
  expect.equal(answer.status, 200, 'an API call from the page');
  expect.equal(answer.body.experiment.experiment_id, experimentId, 'the experiment the page read');

  // Without credentials Chromium gets the challenge and asks for them; headless, nobody answers the prompt, so the
  // navigation ends as an authentication failure and no UI is shown.
  const anonymous = await browser.newContext();
  try {
    const anonymousPage = await anonymous.newPage();
    const answered = new Promise((resolve) => anonymousPage.once('response', resolve));
    const navigation = await anonymousPage.goto(`${baseUrl}/`).then(() => 'loaded', (error) => error.message);
    const response = await answered;
    expect.equal(response.status(), 401, 'the UI root without credentials');
    const challenge = await response.headerValue('www-authenticate');
    expect.contains(challenge, 'Basic', 'the challenge that makes browsers prompt');
    expect.contains(navigation, 'ERR_INVALID_AUTH_CREDENTIALS', 'the browser treated the answer as an auth prompt');
  } finally {
    await anonymous.close();
  }
});
