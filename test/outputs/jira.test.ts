import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { toAlertDocument } from '../../src/alerts/alert.ts';
import { Secret } from '../../src/secrets/secret.ts';
import { issueContent, JIRA_LIMITS, openIssueJql } from '../../src/outputs/jira-common/issue-content.ts';
import { LoopbackReceiver } from '../support/receiver.ts';
import { makeOutput, sampleAlert, testContext } from '../support/outputs.ts';

// What the contract (test/outputs/contract/jira.contract.ts) does not cover: the flow's other
// branches and failures between its steps, the text cut to Jira's limits, publishers' fields.
// Wire format: https://developer.atlassian.com/server/jira/platform/rest/v10000/api-group-issue/
const context = testContext();
let jira: LoopbackReceiver;
beforeAll(async () => {
  jira = await LoopbackReceiver.start();
});
afterAll(() => jira.close());
beforeEach(() => {
  jira.requests.length = 0;
});

const output = (aggregate: 'yes' | 'no') =>
  makeOutput(context, 'jira', { username: new Secret('bot'), password: new Secret('pw'), url: new Secret(jira.url), project_key: 'SEC', issue_type: 'Task', aggregate });
const send = (aggregate: 'yes' | 'no', alert = sampleAlert(), publication: Record<string, unknown> = toAlertDocument(alert)) => output(aggregate).dispatch(alert, publication);
const found = (...summaries: string[]) => ({ status: 200, body: { issues: summaries.map((summary, i) => ({ id: String(10001 + i), key: `SEC-${i + 1}`, fields: { summary } })) } });
const created = { status: 201, body: { id: '10009', key: 'SEC-9', self: 'http://jira/rest/api/2/issue/10009' } };

describe('Jira flow', () => {
  it('creates an issue without searching when aggregate is off, and keeps its key', async () => {
    jira.script(created);
    expect(await send('no')).toEqual({ kind: 'delivered', reference: 'SEC-9' });
    expect(jira.requests.map((request) => `${request.method} ${request.path}`)).toEqual(['POST /rest/api/2/issue']);
  });

  it('comments on the open issue whose summary is exactly the rule\'s, past a similar one the phrase search also found', async () => {
    jira.script(found('StreamAlert cloudtrail_root_account_usage_v2', 'StreamAlert cloudtrail_root_account_usage'), { status: 201, body: { id: '10100' } });
    expect(await send('yes')).toEqual({ kind: 'delivered', reference: 'SEC-2#comment-10100' });
    expect(jira.requests[1]).toMatchObject({ method: 'POST', path: '/rest/api/2/issue/SEC-2/comment' });
  });

  it('creates an issue when the search finds only other summaries', async () => {
    jira.script(found('StreamAlert cloudtrail_root_account_usage_v2'), created);
    expect(await send('yes')).toEqual({ kind: 'delivered', reference: 'SEC-9' });
    expect(jira.requests.map((request) => request.method)).toEqual(['GET', 'POST']);
  });

  it('ends the attempt with the search\'s failure, and creates nothing (StreamAlert would create a duplicate)', async () => {
    jira.script({ status: 400, body: { errorMessages: ["The value 'SEC' does not exist for the field 'project'."], errors: {} } });
    const result = await send('yes');
    expect(result).toMatchObject({ kind: 'failed', reason: 'client_error' });
    expect(result.kind !== 'delivered' && result.message).toContain("does not exist for the field 'project'");
    expect(jira.requests).toHaveLength(1);
  });

  it('retries when the issue found is gone by the time of the comment, and creates nothing this attempt', async () => {
    jira.script(found('StreamAlert cloudtrail_root_account_usage'), { status: 404, body: { errorMessages: ['Issue does not exist or you do not have permission to see it.'] } });
    expect(await send('yes')).toMatchObject({ kind: 'retry', reason: 'not_found' });
    expect(jira.requests).toHaveLength(2);
  });

  it('retries a search answered with a body that is not the documented JSON (a proxy\'s page)', async () => {
    jira.script({ status: 200, headers: { 'content-type': 'text/html' }, body: '<html>maintenance</html>' });
    expect(await send('yes')).toMatchObject({ kind: 'retry', reason: 'server_error' });
    expect(jira.requests).toHaveLength(1);
  });

  it('takes a 201 it cannot read as created: the issue exists, a second would be a duplicate', async () => {
    jira.script({ status: 201, body: '' });
    expect(await send('no')).toEqual({ kind: 'delivered' });
  });
});

describe('Jira issue text', () => {
  it('cuts a huge record inside its code block to the 32,767-character field, saying how much it left out', async () => {
    jira.script(created);
    const record = Object.fromEntries(Array.from({ length: 2_000 }, (_, i) => [`field_${i}`, 'v'.repeat(40)]));
    await send('no', sampleAlert({ record }));
    const { description } = (jira.requests[0]!.json as { fields: { description: string } }).fields;
    expect(description.length).toBeLessThanOrEqual(JIRA_LIMITS.textFieldChars);
    expect(description.length).toBeGreaterThan(JIRA_LIMITS.textFieldChars - 100);
    expect(description).toMatch(/\n… \(\d+ more characters not shown\)\n\{code\}$/);
  });

  it('breaks a {code} inside the record, so the record cannot end the block', async () => {
    jira.script(created);
    await send('no', sampleAlert({ record: { note: '{code}h1. injected' } }));
    const { description } = (jira.requests[0]!.json as { fields: { description: string } }).fields;
    expect(description.match(/\{code/g)).toHaveLength(2);
  });

  it("sends a publisher's @jira.issue_summary and @jira.description as they are", () => {
    const alert = sampleAlert();
    const content = issueContent(alert, { ...toAlertDocument(alert), '@jira.issue_summary': 'Root login', '@jira.description': 'h2. Root login\n*act now*' });
    expect(content).toEqual({ summary: 'Root login', paragraphs: ['h2. Root login\n*act now*'] });
  });

  it('keeps a summary under 255 characters', () => {
    const alert = sampleAlert({ ruleName: 'r'.repeat(400) });
    expect(issueContent(alert, toAlertDocument(alert)).summary).toHaveLength(JIRA_LIMITS.summaryChars);
  });

  it('searches for a summary with quotes and Lucene operators as a plain phrase, in a well-quoted JQL string', () => {
    expect(openIssueJql('S"EC', 'StreamAlert "odd" rule: a+b\\c')).toBe(
      'project = "S\\"EC" AND summary ~ "\\"StreamAlert odd rule a b c\\"" AND statusCategory != Done AND created >= -1d ORDER BY created DESC',
    );
  });
});
