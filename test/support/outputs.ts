import { afterAll } from 'vitest';
import { createAlert, type Alert, type NewAlert } from '../../src/alerts/alert.ts';
import { createOutputContext } from '../../src/outputs/context.ts';
import { createOutput, loadServices } from '../../src/outputs/registry.ts';
import type { OutputBase } from '../../src/outputs/output.ts';
import type { Secret } from '../../src/secrets/secret.ts';
import '../../src/outputs/builtin.ts';
import { ANSWER_TIMEOUT_MS, HANG_TIMEOUT_MS } from './timeouts.ts';

// The built-in services' classes, as the commands that build outputs load them.
await loadServices();

/**
 * A shared output context for one test file, for requests that should be answered: its timeout
 * is patient, so a loaded machine's slow answer is not taken for a hang.
 *
 * @example
 *   const context = testContext();
 *   await makeOutput(context, 'slack', { url }).dispatch(alert, document);
 */
export function testContext(timeoutMs = ANSWER_TIMEOUT_MS) {
  const context = createOutputContext({ timeoutMs });
  afterAll(() => context.close());
  return context;
}

/**
 * A shared output context for one test file with a short timeout, for only the requests a test
 * expects to hang, so it ends soon: a request that should be answered could time out in it on a
 * loaded machine.
 *
 * @example
 *   const hanging = hangContext();
 *   receiver.script('hang');
 *   await makeOutput(hanging, 'slack', { url }).dispatch(alert, document); // retry: timeout
 */
export function hangContext() {
  return testContext(HANG_TIMEOUT_MS);
}

/** Builds a configured output of a built-in service, through the registry as production does. */
export function makeOutput(
  context: ReturnType<typeof testContext>,
  service: string,
  values: Record<string, string | Secret>,
  descriptor = 'test',
): OutputBase {
  return createOutput(service, { descriptor, values }, context);
}

/** A realistic alert: CloudTrail root console login. */
export function sampleAlert(fields: Partial<NewAlert> = {}): Alert {
  return createAlert({
    ruleName: 'cloudtrail_root_account_usage',
    ruleDescription: 'The root account was used: <investigate> & rotate',
    // StreamAlert's meanings: the log source is the schema, the log type the parser.
    logSource: 'cloudtrail:events',
    logType: 'json',
    sourceEntity: 'acme-cloudtrail',
    sourceService: 's3',
    outputs: ['slack:sec-alerts'],
    record: {
      eventName: 'ConsoleLogin',
      eventTime: '2026-11-28T07:00:00Z',
      sourceIPAddress: '203.0.113.7',
      userIdentity: { type: 'Root', arn: 'arn:aws:iam::123456789012:root', accountId: '123456789012' },
      resources: [{ ARN: 'arn:aws:iam::123456789012:root' }],
    },
    ...fields,
  });
}

export type { Alert };
