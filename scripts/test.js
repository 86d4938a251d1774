#!/usr/bin/env node
// Runs the whole suite with vitest, then prints one plain closing line, "N passed, N failed",
// counted from vitest's JSON report, so any CI can read the totals. Exit code is vitest's, or 1
// when the suite changed the checkout (on CI; elsewhere a warning, as the developer may be editing).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'streamalert-test-'));
const report = join(dir, 'report.json');
const before = checkoutState();
const run = spawnSync(
  'npx',
  ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)],
  { stdio: 'inherit' },
);
let status = run.status ?? 1;
try {
  const { numPassedTests, numFailedTests, numPendingTests } = JSON.parse(readFileSync(report, 'utf8'));
  console.log(`${numPassedTests} passed, ${numFailedTests} failed, ${numPendingTests} skipped`);
} catch {
  console.log('0 passed, 1 failed (vitest wrote no report)');
}
rmSync(dir, { recursive: true, force: true });
const changed = changedSince(before, checkoutState());
if (changed.length > 0 && process.env.UPDATE_SCREENSHOTS !== '1') {
  // A test writes in a temporary folder of its own: one that writes in the checkout dirties every developer's tree.
  console.log(`the test run changed the checkout: ${changed.join(', ')}`);
  if (process.env.CI === 'true') status = status || 1;
}
process.exit(status);

/** `git status --porcelain` lines (outside a git checkout: none). */
function checkoutState() {
  const status = spawnSync('git', ['status', '--porcelain', '--untracked-files=all'], { encoding: 'utf8' });
  return status.status === 0 ? new Set(status.stdout.split('\n').filter(Boolean)) : new Set();
}

function changedSince(before, after) {
  return [...after].filter((line) => !before.has(line)).map((line) => line.slice(3));
}
