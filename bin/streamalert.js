#!/usr/bin/env node
// The CLI entry point. tsx compiles the TypeScript sources (and users' rules) on load,
// so the package runs straight from `npm install` with no build step.
import { register as registerHooks } from 'node:module';
import { register } from 'tsx/esm/api';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// Output piped into `head` and closed early is not an error worth a stack trace.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});
registerHooks('./self-resolve.js', import.meta.url);
register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv);
