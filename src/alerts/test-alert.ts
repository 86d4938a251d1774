import { createAlert, type Alert } from './alert.ts';

const TEST_RULE_NAME = 'streamalert_output_test';
const TEST_LOG_TYPE = 'streamalert:test';

/**
 * The alert `streamalert output test <output>` sends: a real alert no one can mistake for one
 * about an incident. Every service's contract test delivers it too.
 */
export function testAlert(name: string): Alert {
  return createAlert({
    ruleName: TEST_RULE_NAME,
    ruleDescription: `Test alert sent by 'streamalert output test ${name}'. If you can read this, the output works; no action is needed.`,
    severity: 'info',
    logSource: 'streamalert',
    logType: TEST_LOG_TYPE,
    sourceEntity: 'streamalert-cli',
    sourceService: 'cli',
    outputs: [name],
    record: { test: true, message: 'This is a test alert from StreamAlert. No action is needed.', output: name, sent_at: new Date().toISOString() },
  });
}

/**
 * Whether `alert` is the test alert of `output test`: for an output whose alerts act (carbonblack
 * bans a hash), it checks the connection instead of acting.
 */
export function isTestAlert(alert: Alert): boolean {
  return alert.ruleName === TEST_RULE_NAME && alert.logType === TEST_LOG_TYPE;
}
