import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { noChromium, startBrowser } from '../support/browser.ts';
import { ROOT } from '../support/cli.ts';
import { duoRecord } from '../support/rules-project.ts';
import { startServe, type RunningServe } from '../support/serve.ts';
import { CONDITION_TIMEOUT_MS } from '../support/timeouts.ts';
import { consoleProject, type ConsoleProject } from './project.ts';

/** The README's screenshots are written again in docs/ only when asked, so that a test run leaves the checkout as it was. */
const UPDATE_SCREENSHOTS = process.env.UPDATE_SCREENSHOTS === '1';

describe.skipIf(noChromium)('the web console in Chromium', () => {
  let project: ConsoleProject;
  let serve: RunningServe;
  let page: Page;
  let screenshots: string;
  const post = (records: object[]) =>
    fetch(`${serve.base}/v1/records?log_type=duo`, { method: 'POST', body: JSON.stringify(records), headers: { authorization: `Bearer ${project.token}` } });

  beforeAll(async () => {
    screenshots = UPDATE_SCREENSHOTS ? join(ROOT, 'docs') : mkdtempSync(join(tmpdir(), 'streamalert-screenshots-'));
    project = await consoleProject();
    // Slack is down until the test says otherwise: deliveries dead-letter.
    project.slack.respond(() => ({ status: 503, body: 'service_unavailable' }));
    serve = await startServe(project.dir, project.env);
    const browser = await startBrowser();
    page = await browser.newPage();
    page.setDefaultTimeout(CONDITION_TIMEOUT_MS);
    // The console asks before a replay or a discard: the test says yes.
    page.on('dialog', (dialog) => void dialog.accept());
  });
  afterAll(async () => {
    await serve?.stop();
    await project?.slack.close();
    if (!UPDATE_SCREENSHOTS) rmSync(screenshots, { recursive: true, force: true });
  });

  it('sends a visitor without a session to sign in, and back where they were going once signed in', async () => {
    await page.goto(`${serve.base}/alerts`);
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    await page.fill('input[name="token"]', `${project.token}x`);
    await page.click('button[type="submit"]');
    await page.getByText('That is not a current token').waitFor();

    await page.fill('input[name="token"]', project.token);
    await page.click('button[type="submit"]');
    await page.waitForURL(`${serve.base}/alerts`);
    await page.getByText('No alerts stored yet.').waitFor();
  });

  it('shows an alert that a POST just stored, without a reload, and opens it', async () => {
    await page.evaluate(() => ((globalThis as unknown as { loadedOnce: boolean }).loadedOnce = true));
    expect((await post([duoRecord()])).status).toBe(202);
    const row = page.locator('tr[data-alert]', { hasText: 'duo_fraud' });
    await row.waitFor();
    expect(await page.evaluate(() => (globalThis as unknown as { loadedOnce?: boolean }).loadedOnce)).toBe(true);

    await row.locator('a[href^="/alerts/"]').click();
    await page.waitForURL(/\/alerts\/[0-9a-f-]{36}$/);
    await page.getByRole('heading', { name: 'Alert duo_fraud' }).waitFor();
    await page.getByText('A Duo push marked as fraud').waitFor();
    // The record, pretty-printed; the rule's context.
    expect(await page.locator('pre').last().textContent()).toContain('"result": "fraud"');
    expect(await page.locator('pre').first().textContent()).toContain('"team": "identity"');
  });

  it('replays a dead letter once the receiver recovers, and the page shows it delivered without a reload', async () => {
    // It dead-letters within delivery.maxAgeMs; the live page turns it failed.
    const delivery = page.locator('tr[data-output="slack:sec-alerts"]');
    await delivery.locator('.status-failed').waitFor();
    await page.locator('ol.timeline li', { hasText: 'server_error' }).first().waitFor();

    // The receiver recovers, but holds its answer until the test has seen the replay pending.
    const held: ServerResponse[] = [];
    project.slack.respond(() => (response) => void held.push(response));
    await delivery.getByRole('button', { name: 'Replay' }).click();
    await page.getByText('Replayed 1 delivery').waitFor();
    await page.evaluate(() => ((globalThis as unknown as { afterReplay: boolean }).afterReplay = true));
    await expect.poll(() => held.length, { timeout: CONDITION_TIMEOUT_MS }).toBeGreaterThan(0);
    expect(await delivery.locator('.status-delivered').count()).toBe(0);
    for (const response of held) response.writeHead(200).end('ok');
    project.slack.respond(() => ({ status: 200, body: 'ok' }));

    await delivery.locator('.status-delivered').waitFor();
    expect(await page.evaluate(() => (globalThis as unknown as { afterReplay?: boolean }).afterReplay)).toBe(true);
    await page.locator('ol.timeline li', { hasText: 'delivered' }).waitFor();
    await page.screenshot({ path: join(screenshots, 'console-alert.png'), fullPage: true });
  });

  it('draws the overview: alerts per rule, deliveries per output, nothing pending', async () => {
    expect((await post([duoRecord(), duoRecord({ result: 'denied' }), duoRecord({ result: 'denied' })])).status).toBe(202);
    await page.goto(`${serve.base}/`);
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    // Live: the four alerts, each delivered (Slack answers again).
    await page.locator('.card', { hasText: 'Alerts, 24 h' }).getByText('4', { exact: true }).waitFor();
    await page.locator('.card', { hasText: 'Pending' }).getByText('0', { exact: true }).waitFor();
    expect(await page.locator('figure.chart rect').count()).toBeGreaterThan(1);
    await page.locator('figcaption', { hasText: 'duo_denied (2)' }).waitFor();
    const row = page.locator('tr[data-output="slack:sec-alerts"]');
    await row.getByText('%').waitFor();
    await page.screenshot({ path: join(screenshots, 'console-overview.png'), fullPage: true });
  });

  it('adds a silence with a matcher and a duration: the next alert it matches is stored silenced, not sent; then expires it', async () => {
    await page.getByRole('link', { name: 'Silences' }).click();
    await page.getByText('No silences.').waitFor();
    await page.fill('textarea[name="matchers"]', 'rule_name=duo_denied\nrecord.user.name=~.*@example\\.com');
    await page.fill('input[name="for"]', '1h');
    await page.fill('input[name="comment"]', 'pen test, ticket SEC-42');
    await page.getByRole('button', { name: 'Add silence' }).click();
    await page.getByText('Added silence').waitFor();
    const silence = page.locator('tr[data-silence]');
    await silence.locator('.status-silence-active').waitFor();
    expect(await silence.textContent()).toContain('record.user.name=~.*@example\\.com');

    const sentBefore = project.slack.requests.length;
    await page.goto(`${serve.base}/alerts`);
    expect((await post([duoRecord({ result: 'denied' }), duoRecord()])).status).toBe(202);
    const silenced = page.locator('tr[data-alert]', { hasText: 'duo_denied' }).filter({ hasText: 'not sent: silenced by' });
    await silenced.waitFor();
    // Stored with no delivery; the fraud alert beside it is sent as ever.
    expect(await silenced.locator('.status').count()).toBe(0);
    await page.locator('tr[data-alert]', { hasText: 'duo_fraud' }).first().locator('.status-delivered').waitFor();
    await expect.poll(() => project.slack.requests.length, { timeout: 60_000 }).toBeGreaterThan(sentBefore);
    expect(project.slack.requests.slice(sentBefore).some((request) => request.body.includes('duo_denied'))).toBe(false);

    await page.goto(`${serve.base}/silences`);
    await page.locator('tr[data-silence]').getByRole('button', { name: 'Expire' }).click();
    await page.getByText('Expired silence').waitFor();
    await page.locator('tr[data-silence] .status-silence-expired').waitFor();
  });

  it('signs out: the pages send the browser to sign in again', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/sign-in$/);
    await page.goto(`${serve.base}/dead-letters`);
    expect(new URL(page.url()).pathname).toBe('/sign-in');
  });
});
