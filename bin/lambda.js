// The AWS Lambda entry module: handler names `bin/lambda.rulesEngine` and `bin/lambda.alertProcessor`.
// Like bin/streamalert.js, it runs the compiled package in dist/.
export { rulesEngine, alertProcessor } from '../dist/lambda/handlers.js';
