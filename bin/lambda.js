// The AWS Lambda entry module: handler names `bin/lambda.rulesEngine` and `bin/lambda.alertProcessor`.
// Like bin/streamalert.js, it compiles the TypeScript sources and the project's rules on load.
import { register as registerHooks } from 'node:module';
import { register } from 'tsx/esm/api';

registerHooks('./self-resolve.js', import.meta.url);
register();
const handlers = await import('../src/lambda/handlers.ts');

export const rulesEngine = handlers.rulesEngine;
export const alertProcessor = handlers.alertProcessor;
