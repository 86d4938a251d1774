/**
 * The AWS Lambda entry points: the same project, rules, outputs and stores as the CLI, with
 * DynamoDB as the alert store (set `"store": {"backend": "dynamodb"}`). The project folder is
 * packaged with the function; STREAMALERT_PROJECT names it (default: the current directory).
 * The handler names are stable: the deployed stack (src/deploy/) points at them.
 *
 * - rulesEngine (rules-engine.ts): Kinesis, SQS, SNS, S3 notifications (direct, through SQS or
 *   SNS), EventBridge S3 Object Created events, or a direct invocation
 *   `{ "log_type": "...", "records": [...] }` -> classifier -> rules -> alerts stored; partial
 *   batch failures for Kinesis and SQS.
 * - alertProcessor (alert-processor.ts): on a schedule, sweeps whatever is due (retries); given
 *   the alerts table's stream events, does what alertStreamProcessor does.
 * - alertStreamProcessor: triggered by the alerts table's stream, delivers the new alerts at once.
 */
export { rulesEngine, type RulesEngineEvent, type RulesEngineResult } from './rules-engine.ts';
export { alertProcessor, alertStreamProcessor, type AlertProcessorResult, type InvocationContext, type NewAlertsResult } from './alert-processor.ts';
