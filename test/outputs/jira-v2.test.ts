import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toAlertDocument } from '../../src/alerts/alert.ts';
import { Secret } from '../../src/secrets/secret.ts';
import { JIRA_LIMITS } from '../../src/outputs/jira-common/issue-content.ts';
import { adfDocument, type AdfDocument } from '../../src/outputs/jira-v2/adf.ts';
import { LoopbackReceiver } from '../support/receiver.ts';
import { makeOutput, sampleAlert, testContext } from '../support/outputs.ts';

// What the contract does not cover for Jira Cloud: the Atlassian Document Format, within the
// field's limit. https://developer.atlassian.com/cloud/jira/platform/apis/document/structure/
// (The flow is the one the jira output shares: test/outputs/jira.test.ts.)
const context = testContext();
let jira: LoopbackReceiver;
beforeAll(async () => {
  jira = await LoopbackReceiver.start();
});
afterAll(() => jira.close());

describe('Jira Cloud issue text', () => {
  it('keeps a huge record within 32,767 characters of ADF JSON, quotes and all, and says how much it left out', async () => {
    jira.script({ status: 201, body: { id: '10009', key: 'SEC-9' } });
    // Quotes and newlines cost two characters each once the document is JSON.
    const record = Object.fromEntries(Array.from({ length: 2_000 }, (_, i) => [`field_${i}`, '"quoted"\n'.repeat(5)]));
    const alert = sampleAlert({ record });
    const output = makeOutput(context, 'jira-v2', { api_key: new Secret('token-0000000000'), user_name: 'bot@example.com', url: jira.url, project_key: 'SEC', issue_type: 'Task', aggregate: 'no' });
    expect(await output.dispatch(alert, toAlertDocument(alert))).toEqual({ kind: 'delivered', reference: 'SEC-9' });
    const description = (jira.requests[0]!.json as { fields: { description: AdfDocument } }).fields.description;
    const size = JSON.stringify(description).length;
    expect(size).toBeLessThanOrEqual(JIRA_LIMITS.textFieldChars);
    expect(size).toBeGreaterThan(JIRA_LIMITS.textFieldChars - 100);
    expect(description.content.at(-1)!.content[0]!.text).toMatch(/\n… \(\d+ more characters not shown\)$/);
  });

  it('leaves out an empty paragraph (ADF text nodes may not be empty) and writes a publisher\'s text as a paragraph', () => {
    expect(adfDocument({ summary: 's', paragraphs: ['', 'h2. Root login'] })).toEqual({
      type: 'doc',
      version: 1,
      content: [{ type: 'paragraph', content: [{ type: 'text', text: 'h2. Root login' }] }],
    });
  });
});
