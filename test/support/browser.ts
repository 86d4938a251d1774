import { existsSync } from 'node:fs';
import { afterAll } from 'vitest';
import { chromium, type BrowserContext } from 'playwright-core';
import { tempDir } from './secrets.ts';

/** Debian's Chromium (`apt-get install chromium`): never a downloaded browser. */
export const CHROMIUM = '/usr/bin/chromium';
export const noChromium = !existsSync(CHROMIUM);

const opened: BrowserContext[] = [];
afterAll(async () => {
  for (const context of opened.splice(0)) await context.close().catch(() => {});
});

/**
 * A headless Chromium with a fresh profile (its own --user-data-dir) and nothing of its own on
 * the network (no updates, sync or QUIC): it talks only to the servers a test starts. Closed
 * after the test file.
 */
export async function startBrowser(): Promise<BrowserContext> {
  const context = await chromium.launchPersistentContext(tempDir('streamalert-chromium-'), {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1280, height: 900 },
  });
  opened.push(context);
  return context;
}
