import { toAlertDocument, type Alert } from '../alerts/alert.ts';
import { describeError } from '../observability/describe-error.ts';
import type { OutputBase, Publication } from '../outputs/output.ts';
import { retry, type DispatchResult } from '../outputs/result.ts';

/** One output's answer to one alert. */
export interface DeliveryReport {
  readonly output: string;
  readonly result: DispatchResult;
}

/** Builds the document an output receives; publishers plug in here. */
export type Publish = (alert: Alert, output: OutputBase) => Publication;

const defaultPublish: Publish = (alert) => toAlertDocument(alert);

/**
 * Tries each output once, all at the same time, and returns every result in the order given.
 * A slow output never holds the others back; an output that throws (a bug) is reported as a
 * retryable `internal` failure with its secrets scrubbed, never as a crash.
 *
 * @example
 *   const reports = await deliver(alert, [slack, pagerduty]);
 *   reports.filter((r) => r.result.kind !== 'delivered')
 */
export async function deliver(
  alert: Alert,
  outputs: readonly OutputBase[],
  publish: Publish = defaultPublish,
): Promise<DeliveryReport[]> {
  return Promise.all(outputs.map(async (output) => ({ output: output.name, result: await deliverTo(alert, output, publish) })));
}

/**
 * One attempt to one output: the delivery engine's unit of work, ended as a `timeout` after
 * `deadlineMs` if given, its result redacted (`OutputBase.attempt`). Never throws: an output that
 * throws (a bug) comes back as a retryable `internal` result, its secrets scrubbed.
 */
export async function deliverTo(alert: Alert, output: OutputBase, publish: Publish = defaultPublish, deadlineMs?: number): Promise<DispatchResult> {
  try {
    return await output.attempt(alert, publish(alert, output), deadlineMs);
  } catch (error) {
    return retry('internal', output.redact(`${output.name} failed unexpectedly: ${describeError(error)}`));
  }
}
