#!/usr/bin/env node
// The CLI straight from the TypeScript sources (tsx compiles on load): what the tests and
// `npm start` run in this repository, so that they never see a stale build.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../src/cli/main.ts');
await runCli(process.argv);
