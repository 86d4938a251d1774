import type { Failed, Retry } from './result.ts';

/**
 * One step of a dispatch that makes several requests: a value to go on with, or the step's
 * classified result, which ends the attempt (the Jira and ServiceNow outputs).
 */
export type Step<T> = { ok: true; value: T } | { ok: false; result: Retry | Failed };
