import { defineConfig } from 'vitest/config';
import { TEST_TIMEOUT_MS } from './test/support/timeouts.ts';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    setupFiles: ['test/support/aws-env.ts'],
    // A backstop: each wait inside a test has its own deadline (test/support/timeouts.ts).
    testTimeout: TEST_TIMEOUT_MS,
    hookTimeout: TEST_TIMEOUT_MS,
  },
});
