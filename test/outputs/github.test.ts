import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { toAlertDocument } from '../../src/alerts/alert.ts';
import { Secret } from '../../src/secrets/secret.ts';
import { alertText } from '../../src/outputs/text/alert-text.ts';
import { buildGithubIssue, GITHUB_LIMITS, labelList, type GithubIssue } from '../../src/outputs/github/issue.ts';
import { LoopbackReceiver } from '../support/receiver.ts';
import { makeOutput, sampleAlert, testContext } from '../support/outputs.ts';

// What the contract does not cover: the body cut to GitHub's limit, publishers' fields, the
// reference, and GitHub's rate limits that come as 403s.
// https://docs.github.com/en/rest/issues/issues#create-an-issue
// https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api#exceeding-the-rate-limit
const context = testContext();
let github: LoopbackReceiver;
beforeAll(async () => {
  github = await LoopbackReceiver.start();
});
afterAll(() => github.close());
beforeEach(() => {
  github.requests.length = 0;
});

const send = (values: Record<string, string> = {}) => {
  const alert = sampleAlert();
  return makeOutput(context, 'github', { repository: 'acme/alerts', access_token: new Secret('ghp_000000000000000000000000000000000000'), api: github.url, ...values }).dispatch(alert, toAlertDocument(alert));
};

describe('GitHub issue', () => {
  it('cuts a huge record to keep the body within 65,536 characters, saying how much it left out', () => {
    const record = Object.fromEntries(Array.from({ length: 5_000 }, (_, i) => [`field_${i}`, 'v'.repeat(40)]));
    const alert = sampleAlert({ record, ruleDescription: 'd'.repeat(10_000) });
    const { body } = buildGithubIssue(alertText(alert, toAlertDocument(alert)), toAlertDocument(alert), []);
    expect(body.length).toBeLessThanOrEqual(GITHUB_LIMITS.bodyChars);
    expect(body.length).toBeGreaterThan(GITHUB_LIMITS.bodyChars - 200);
    expect(body).toMatch(/\n\(record truncated: \d+ more characters not shown\)\n\nAlert `[^`]+` created /);
  });

  it("sends a publisher's @github.title and @github.body instead, the body cut to the limit", () => {
    const alert = sampleAlert();
    const publication = { ...toAlertDocument(alert), '@github.title': 'Root login', '@github.body': 'x'.repeat(70_000) };
    const issue = buildGithubIssue(alertText(alert, publication), publication, ['a']);
    expect(issue.title).toBe('Root login');
    expect(issue.body).toHaveLength(GITHUB_LIMITS.bodyChars);
    expect(issue.body.endsWith('…')).toBe(true);
  });

  it('reads labels as StreamAlert wrote them, comma separated, and sends none for an empty list', async () => {
    expect(labelList(' security , needs triage,,')).toEqual(['security', 'needs triage']);
    github.script({ status: 201, body: { number: 7 } });
    await send({ labels: '' });
    expect((github.requests[0]!.json as GithubIssue).labels).toEqual([]);
  });
});

describe('GitHub output answers', () => {
  it("keeps the issue's html_url as the reference, or else its number", async () => {
    github.script({ status: 201, body: { number: 42, html_url: 'https://github.com/acme/alerts/issues/42' } }, { status: 201, body: { number: 43 } });
    expect(await send()).toEqual({ kind: 'delivered', reference: 'https://github.com/acme/alerts/issues/42' });
    expect(await send()).toEqual({ kind: 'delivered', reference: '#43' });
  });

  it('retries a 403 secondary rate limit after its Retry-After', async () => {
    github.script({ status: 403, headers: { 'retry-after': '30' }, body: { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' } });
    expect(await send()).toMatchObject({ kind: 'retry', reason: 'rate_limited', retryAfterMs: 30_000 });
  });

  it('retries a 403 primary rate limit at x-ratelimit-reset', async () => {
    const resetSeconds = Math.floor(Date.now() / 1000) + 600;
    github.script({ status: 403, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(resetSeconds) }, body: { message: 'API rate limit exceeded for user ID 1.' } });
    const result = await send();
    expect(result).toMatchObject({ kind: 'retry', reason: 'rate_limited' });
    const waitMs = result.kind === 'retry' ? result.retryAfterMs! : 0;
    expect(waitMs).toBeGreaterThan(500_000);
    expect(waitMs).toBeLessThanOrEqual(600_000);
  });

  it('retries a rate limit that names no time after a minute, as GitHub advises', async () => {
    github.script({ status: 403, body: { message: 'You have exceeded a secondary rate limit.' } });
    expect(await send()).toMatchObject({ kind: 'retry', reason: 'rate_limited', retryAfterMs: 60_000 });
  });

  it('fails a 403 that is not a rate limit as auth: the token may not write issues there', async () => {
    github.script({ status: 403, body: { message: 'Resource not accessible by personal access token' } });
    expect(await send()).toMatchObject({ kind: 'failed', reason: 'auth' });
  });

  it('fails a 410 (issues turned off in the repository) as not_found', async () => {
    github.script({ status: 410, body: { message: 'Issues are disabled for this repo' } });
    expect(await send()).toMatchObject({ kind: 'failed', reason: 'not_found' });
  });

  it('refuses a repository that is not owner/repository when configured', () => {
    expect(() => makeOutput(context, 'github', { repository: 'alerts', access_token: new Secret('t0000000') })).toThrow(/repository must be owner\/repository/);
  });
});
