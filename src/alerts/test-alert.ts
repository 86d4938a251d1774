import { createAlert, type Alert } from './alert.ts';

/**
 * The alert `streamalert output test <output>` sends: a real alert no one can mistake for one
 * about an incident. Every service's contract test delivers it too.
 */
export function testAlert(name: string): Alert {
  return createAlert({
    ruleName: 'streamalert_output_test',
    ruleDescription: `Test alert sent by 'streamalert output test ${name}'. If you can read this, the output works; no action is needed.`,
    severity: 'info',
    logSource: 'streamalert',
    logType: 'streamalert:test',
    sourceEntity: 'streamalert-cli',
    sourceService: 'cli',
    outputs: [name],
    record: { test: true, message: 'This is a test alert from StreamAlert. No action is needed.', output: name, sent_at: new Date().toISOString() },
  });
}
