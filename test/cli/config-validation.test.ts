import { describe, expect, it } from 'vitest';
import { streamalert } from '../support/cli.ts';
import { tempProject } from '../support/rules-project.ts';
import { isolatedEnv } from '../support/secrets.ts';

/** Runs a command on a project made of these conf files, as a user's shell would. */
function runWith(files: Record<string, object>, args: string[] = ['alerts', 'list']) {
  const dir = tempProject(files);
  return streamalert(['--project', dir, ...args], { env: isolatedEnv() });
}

describe('conf/global.json and conf/outputs.json are checked by every command that reads them, in our words', () => {
  it.each([
    ['output get', ['output', 'get', 'file:audit']],
    ['rules test', ['rules', 'test']],
    ['run', ['run', '--input', '-']],
    ['alerts list', ['alerts', 'list']],
  ])('%s refuses an unknown key, naming the nearest valid one, exit 2', (_name, args) => {
    const run = runWith({ 'conf/global.json': { delivry: { maxAttempts: 3 } } }, args);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe("error: conf/global.json: unknown key 'delivry'; did you mean 'delivery'?\n");
  });

  it.each([
    ['a misspelt key inside a section', { store: { retentionDay: 7 } }, "error: conf/global.json: unknown key 'store.retentionDay'; did you mean 'store.retentionDays'?"],
    ['an unknown key with no near match, listing the known ones', { alerting: true }, "error: conf/global.json: unknown key 'alerting'; known keys: account, secrets, store, delivery, deadLetterOutput, serve, input, staging, routing, inputs, deploy"],
    ['a misspelt input limit', { input: { maxRecordByte: 1024 } }, "error: conf/global.json: unknown key 'input.maxRecordByte'; did you mean 'input.maxRecordBytes'?"],
    ['a record limit past what a string can hold', { input: { maxRecordBytes: 2 ** 30 } }, 'error: conf/global.json: input.maxRecordBytes must be a whole number from 1024 to 268435456 (got 1073741824)'],
    ['text where a number belongs', { delivery: { baseDelayMs: 'fast' } }, "error: conf/global.json: delivery.baseDelayMs must be a whole number of at least 1 (got 'fast')"],
    ['a fraction of a day', { store: { retentionDays: 0.5 } }, 'error: conf/global.json: store.retentionDays must be a whole number of at least 1 (got 0.5)'],
    ['an unknown backend', { secrets: { backend: 'vault' } }, "error: conf/global.json: secrets.backend must be one of 'local', 'aws-s3-kms', 'aws-ssm' (got 'vault')"],
    ['a dead-letter output that is not an output name', { deadLetterOutput: 'slack' }, "error: conf/global.json: deadLetterOutput must be an output name, service:descriptor, e.g. 'slack:sec-alerts' (got 'slack')"],
    [
      'a dead-letter output that is not configured',
      { deadLetterOutput: 'slack:sec-alerts' },
      "error: conf/global.json: deadLetterOutput 'slack:sec-alerts' is not configured in conf/outputs.json (configured: file:audit); add it with 'streamalert output new --service slack' or change deadLetterOutput",
    ],
  ])('conf/global.json: %s', (_name, global, message) => {
    const run = runWith({ 'conf/global.json': global, 'conf/outputs.json': { file: ['audit'] } });
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(`${message}\n`);
  });

  it('output list reads conf/outputs.json alone: it lists the outputs whatever global.json says, and refuses a bad outputs.json', () => {
    const listed = runWith({ 'conf/global.json': { delivry: { maxAttempts: 3 } }, 'conf/outputs.json': { file: ['audit'] } }, ['output', 'list']);
    expect(listed.status, listed.stderr).toBe(0);
    expect(listed.stdout).toBe('file:audit\n');
    const refused = runWith({ 'conf/outputs.json': { pagerdty: ['oncall'] } }, ['output', 'list']);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toBe("error: conf/outputs.json: unknown service 'pagerdty'; did you mean 'pagerduty'?\n");
  });

  it.each([
    ['an unknown service, naming the nearest registered one', { pagerdty: ['oncall'] }, "error: conf/outputs.json: unknown service 'pagerdty'; did you mean 'pagerduty'?"],
    ['a descriptor with a space', { slack: ['sec alerts'] }, "error: conf/outputs.json: slack[0]: descriptor 'sec alerts' may use only letters, digits, '-', '_' and '.'"],
    ['an AWS descriptor with a slash', { 'aws-s3': { 'audit/2024': 'bucket' } }, "error: conf/outputs.json: aws-s3: descriptor 'audit/2024' may use only letters, digits, '-', '_' and '.'"],
    [
      'a service entry that is neither a list nor an object',
      { slack: 'sec-alerts' },
      'error: conf/outputs.json: slack must be a list of descriptors, e.g. ["sec-alerts"], or for AWS services an object of descriptor to resource, e.g. {"audit": "my-bucket"} (got \'sec-alerts\')',
    ],
  ])('conf/outputs.json: %s', (_name, outputs, message) => {
    const run = runWith({ 'conf/outputs.json': outputs });
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(`${message}\n`);
  });

  it('names every problem of a file, one line each', () => {
    const run = runWith({ 'conf/global.json': { delivery: { maxAttempts: 'five' }, store: { backend: 'postgres' } } });
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual([
      "error: conf/global.json: store.backend must be one of 'sqlite', 'dynamodb' (got 'postgres')",
      expect.stringMatching(/^error: conf\/global\.json: delivery\.maxAttempts must be a whole number from 1 to \d+ \(got 'five'\)$/),
    ]);
  });

  it('accepts a valid configuration, and lets output new add the dead-letter output global.json names', () => {
    const dir = tempProject({ 'conf/global.json': { deadLetterOutput: 'file:dead', store: { retentionDays: 7 }, delivery: { maxAttempts: 3 } }, 'conf/outputs.json': { file: ['audit'] } });
    const env = isolatedEnv();
    expect(streamalert(['--project', dir, 'alerts', 'list'], { env }).status).toBe(2);
    const added = streamalert(['--project', dir, 'output', 'new', '--service', 'file', '--from-file', '-'], { env, input: JSON.stringify({ descriptor: 'dead', path: 'dead.jsonl' }) });
    expect(added.status, added.stderr).toBe(0);
    const list = streamalert(['--project', dir, 'output', 'list', '--json'], { env });
    expect(list.status, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual([
      { service: 'file', descriptor: 'audit' },
      { service: 'file', descriptor: 'dead' },
    ]);
  });
});
