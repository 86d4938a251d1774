// The AWS Lambda entry module: handler names `bin/lambda.rulesEngine`, `bin/lambda.alertProcessor`
// and `bin/lambda.alertStreamProcessor`. Like bin/streamalert.js, it runs the compiled package in
// dist/. The deployed stack uses one esbuild bundle per function instead (src/lambda/bundle.ts).
export { rulesEngine, alertProcessor, alertStreamProcessor } from '../dist/lambda/handlers.js';
