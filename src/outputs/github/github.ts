import type { Alert } from '../../alerts/alert.ts';
import type { Publication } from '../output.ts';
import { property } from '../property.ts';
import { descriptorProperty, output } from '../registry.ts';
import { delivered, retry, type DispatchResult, type Failed, type Retry } from '../result.ts';
import type { HttpResponse } from '../http/client.ts';
import { parseJsonObject } from '../http/json.ts';
import { parseRetryAfter } from '../http/retry-after.ts';
import { JsonWebhookOutput, type WebhookRequest } from '../http/json-webhook.ts';
import { alertText } from '../text/alert-text.ts';
import { buildGithubIssue, GITHUB_LIMITS, labelList } from './issue.ts';

const REPOSITORY = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;

/** GitHub's advice when a rate-limited answer names no time: wait at least a minute. */
const RATE_LIMIT_WAIT_MS = 60_000;

/**
 * GitHub issues (StreamAlert's `github`): one issue per alert in owner/repository, with labels.
 * https://docs.github.com/en/rest/issues/issues#create-an-issue
 *
 * A token (classic or fine-grained, with Issues write) goes in `Authorization: Bearer`; the API
 * version is pinned, and a User-Agent sent, as GitHub requires
 * (https://docs.github.com/en/rest/using-the-rest-api/getting-started-with-the-rest-api).
 * StreamAlert sent Basic auth with a username; a token needs none, so there is no `username`.
 *
 * Answers: 201 with the issue; 401 a bad token and 403 one without access fail as auth; 404 (no
 * such repository, or one the token cannot see) and 410 (issues turned off) fail as not_found;
 * 422 (validation) fails. A rate limit comes as 429 or as 403 (primary or secondary): its
 * Retry-After, else its x-ratelimit-reset when x-ratelimit-remaining is 0, else a minute
 * (https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api#exceeding-the-rate-limit).
 */
@output
export class GithubOutput extends JsonWebhookOutput {
  static override readonly service = 'github';
  static override readonly displayName = 'GitHub';
  static override readonly properties = {
    descriptor: descriptorProperty('GitHub', 'repository, team, etc'),
    repository: property('the repository for this integration in the form owner/repository', {
      check: (value) => (REPOSITORY.test(value) ? undefined : 'must be owner/repository, e.g. acme/security-alerts'),
    }),
    // Label names may hold spaces ("needs triage").
    labels: property('a comma separated list of labels to apply to issues when they are created (may be empty)', { optional: true, inputRestrictions: [] }),
    access_token: property('the access token for the integration (a fine-grained token with Issues write, or a classic one with repo)', { secret: true, inputRestrictions: [' '] }),
    api: property('the GitHub API base url: https://api.github.com, or https://<host>/api/v3 for GitHub Enterprise Server', {
      value: 'https://api.github.com',
      url: true,
      inputRestrictions: [' '],
    }),
  };
  static override readonly limits = {
    message: { max: GITHUB_LIMITS.bodyChars, unit: 'characters', over: 'truncated' },
    // Secondary limits: at most 80 content-creating requests a minute and 500 an hour. One every
    // 8 seconds (450 an hour) and bursts of 20 stay under both.
    rate: { perSecond: 0.125, burst: 20 },
    source: 'https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api#about-secondary-rate-limits',
  } as const;

  protected override readonly readsSuccessBody = true;

  protected request(alert: Alert, publication: Publication): WebhookRequest {
    const [owner = '', repository = ''] = this.setting('repository').split('/');
    const token = this.setting('access_token');
    return {
      url: `${this.setting('api').replace(/\/+$/, '')}/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repository)}/issues`,
      headers: { authorization: `Bearer ${token}`, accept: 'application/vnd.github+json', 'x-github-api-version': '2022-11-28', 'user-agent': 'streamalert' },
      json: buildGithubIssue(alertText(alert, publication), publication, labelList(this.setting('labels'))),
      secrets: [token],
    };
  }

  /** The issue's page, else its number: what a responder opens. */
  protected override delivered(response: HttpResponse): DispatchResult {
    const issue = parseJsonObject(response.body);
    if (typeof issue?.html_url === 'string') return delivered(issue.html_url);
    return typeof issue?.number === 'number' ? delivered(`#${issue.number}`) : delivered();
  }

  protected override refused(result: Retry | Failed, response: HttpResponse | undefined): DispatchResult {
    if (!response || (response.status !== 403 && response.status !== 429)) return result;
    if (result.kind === 'retry' && result.retryAfterMs !== undefined) return result;
    const retryAfter = response.headers['retry-after'];
    const waitMs =
      parseRetryAfter(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter) ??
      rateLimitResetMs(response) ??
      (response.status === 429 || /rate limit/i.test(response.body) ? RATE_LIMIT_WAIT_MS : undefined);
    return waitMs === undefined ? result : retry('rate_limited', result.message, waitMs);
  }
}

/** The wait until x-ratelimit-reset (UTC epoch seconds) when x-ratelimit-remaining is 0. */
function rateLimitResetMs(response: HttpResponse, nowMs = Date.now()): number | undefined {
  if (response.headers['x-ratelimit-remaining'] !== '0') return undefined;
  const resetSeconds = Number(response.headers['x-ratelimit-reset']);
  return Number.isFinite(resetSeconds) ? Math.max(0, resetSeconds * 1000 - nowMs) : undefined;
}
