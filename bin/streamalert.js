#!/usr/bin/env node
// The CLI entry point of the package: the compiled JavaScript in dist/, which `npm install` in a
// checkout and `npm pack` build (the `prepare` script). In this repository the tests run the
// sources instead, through bin/streamalert-from-source.js.
try {
  const { runCli } = await import('../dist/cli/main.js');
  await runCli(process.argv);
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes('/dist/cli/main.js')) throw error;
  console.error(`error: streamalert is not built (${new URL('../dist/', import.meta.url).pathname} is missing); run 'npm install' or 'npm run build' in its folder`);
  process.exitCode = 2;
}
