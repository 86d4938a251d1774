#!/usr/bin/env node
// The CLI entry point. tsx compiles the TypeScript sources (and users' rules) on load,
// so the package runs straight from `npm install` with no build step.
import { register } from 'tsx/esm/api';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv);
