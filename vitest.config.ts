import { join } from 'node:path';
import { defineConfig } from 'vitest/config';
import { TEST_TIMEOUT_MS } from './test/support/timeouts.ts';

export default defineConfig({
  // Rules of temporary projects import 'streamalert' (a node_modules link to this checkout): in
  // tests that load them in-process that must be these sources, the copy the test itself uses,
  // not the compiled dist/ the package exports.
  resolve: { alias: [{ find: /^streamalert$/, replacement: join(import.meta.dirname, 'src', 'index.ts') }] },
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    setupFiles: ['test/support/aws-env.ts'],
    // A backstop: each wait inside a test has its own deadline (test/support/timeouts.ts).
    testTimeout: TEST_TIMEOUT_MS,
    hookTimeout: TEST_TIMEOUT_MS,
    // Two test files at a time, also on 2 cores (vitest would run one): most of a test's time is
    // spent waiting for the CLI subprocesses, servers and moto_server it drives.
    maxWorkers: 2,
    // A test that checks nothing cannot fail: every test must make at least one assertion.
    expect: { requireAssertions: true },
  },
});
