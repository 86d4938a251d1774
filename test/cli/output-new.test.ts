import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { getService, loadServices } from '../../src/outputs/registry.ts';
import '../../src/outputs/builtin.ts';
import { streamalert } from '../support/cli.ts';
import { isolatedEnv, knownSecret, makeProject } from '../support/secrets.ts';

// The built-in services' classes, as the commands that build outputs load them.
await loadServices();

/** Valid values for every built-in service; secrets are unique so a leak is unmistakable. */
function validValues(service: string): Record<string, string> {
  switch (service) {
    case 'slack':
      return { descriptor: 'sec-alerts', url: `https://hooks.slack.com/services/T0/B0/${knownSecret('slackpath')}` };
    case 'pagerduty':
      return { descriptor: 'oncall', routing_key: knownSecret('routingkey') };
    case 'phantom':
      return { descriptor: 'soc', url: `https://soar.example.com/${knownSecret('soarpath')}`, ph_auth_token: knownSecret('phtoken'), verify_tls: 'false' };
    case 'aws-s3':
      return { descriptor: 'audit', bucket: 'acme-alerts-bucket' };
    case 'aws-lambda':
      return { descriptor: 'enrich', function_name: 'enrich-fn:production' };
    case 'aws-sns':
      return { descriptor: 'security', topic: 'arn:aws:sns:us-east-1:123456789012:security-alerts' };
    case 'aws-sqs':
      return { descriptor: 'triage', queue: 'https://sqs.us-east-1.amazonaws.com/123456789012/security-alerts' };
    case 'file':
      return { descriptor: 'archive', path: 'alerts/archive.jsonl' };
    case 'discord':
      return { descriptor: 'sec-alerts', url: `https://discord.com/api/webhooks/123456789012345678/${knownSecret('discordtoken')}` };
    case 'mattermost':
      return { descriptor: 'sec-alerts', url: `https://chat.example.com/hooks/${knownSecret('mattermosthook')}` };
    default:
      throw new Error(`no test values for service ${service}: add them here`);
  }
}

function secretValues(service: string, values: Record<string, string>): string[] {
  const props = getService(service).properties;
  return Object.entries(values).filter(([name]) => props[name]?.credRequirement).map(([, value]) => value);
}

/** Every file under a folder, as text, to check no secret was written in clear. */
function allFileText(dir: string): string {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile())
    .map((path) => readFileSync(path, 'latin1'))
    .join('\n');
}

describe('streamalert output new --from-file, for every built-in service', () => {
  // Every registered service is configured by test/cli/output-new-every-service.test.ts, with
  // values derived from its declaration; the hand-written values here serve the cases below.

  it.each(['slack', 'pagerduty', 'phantom', 'aws-s3', 'aws-lambda', 'aws-sns', 'aws-sqs', 'file', 'discord', 'mattermost'])('%s: stores the config in StreamAlert shape, secrets encrypted only', (service) => {
    const project = makeProject();
    const env = isolatedEnv();
    const values = validValues(service);
    const run = streamalert(['--project', project.dir, 'output', 'new', '--service', service, '--from-file', '-'], { env, input: JSON.stringify(values) });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain(`Configured ${service}:${values.descriptor}`);

    const outputs = JSON.parse(readFileSync(join(project.dir, 'conf', 'outputs.json'), 'utf8'));
    if (service.startsWith('aws-')) {
      expect(outputs[service]).toEqual({ [values.descriptor!]: Object.values(values)[1] });
    } else {
      expect(outputs[service]).toEqual([values.descriptor]);
    }

    const secrets = secretValues(service, values);
    const written = allFileText(project.dir) + allFileText(env.HOME);
    for (const secret of secrets) expect(written).not.toContain(secret);

    const shown = streamalert(['--project', project.dir, 'output', 'get', `${service}:${values.descriptor}`, '--json'], { env });
    expect(shown.status, shown.stderr).toBe(0);
    const properties = JSON.parse(shown.stdout).properties as Record<string, string>;
    for (const [name, value] of Object.entries(values)) {
      if (name === 'descriptor') continue;
      if (secrets.includes(value)) expect(properties[name]).toMatch(/\*\*\*\*/);
      else expect(properties[name]).toBe(value);
    }
    for (const secret of secrets) expect(shown.stdout + shown.stderr).not.toContain(secret);
  });

  it('refuses a descriptor already configured, with the seed message, unless --update', () => {
    const project = makeProject({}, { slack: ['sec-alerts'] });
    const env = isolatedEnv();
    const input = JSON.stringify(validValues('slack'));
    const again = streamalert(['--project', project.dir, 'output', 'new', '--service', 'slack', '--from-file', '-'], { env, input });
    expect(again.status).toBe(2);
    expect(again.stderr).toContain('This descriptor sec-alerts is already configured for slack. Please select a new and unique descriptor');
    const update = streamalert(['--project', project.dir, 'output', 'new', '--service', 'slack', '--from-file', '-', '--update'], { env, input });
    expect(update.status, update.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(project.dir, 'conf', 'outputs.json'), 'utf8')).slack).toEqual(['sec-alerts']);
  });

  it('takes the descriptor from --descriptor', () => {
    const project = makeProject();
    const { url } = validValues('slack');
    const run = streamalert(['--project', project.dir, 'output', 'new', '--service', 'slack', '--descriptor', 'beta-rules', '--from-file', '-'], { env: isolatedEnv(), input: JSON.stringify({ url }) });
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(project.dir, 'conf', 'outputs.json'), 'utf8')).slack).toEqual(['beta-rules']);
  });

  it.each([
    ['a restricted character in the descriptor', 'slack', { descriptor: 'sec alerts' }, /descriptor may not contain a space/],
    ['a colon in the descriptor', 'pagerduty', { descriptor: 'on:call' }, /descriptor may not contain a colon/],
    ['a space in a masked value', 'slack', { url: 'https://hooks.slack.com/a b' }, /url may not contain a space/],
    ['a missing required secret', 'pagerduty', { routing_key: undefined }, /routing_key is required/],
    ['an unknown property', 'slack', { channel: '#sec' }, /unknown property 'channel' for slack; its properties are: descriptor, url/],
    ['a non-string value', 'slack', { url: { nested: true } }, /property 'url' must be a string/],
    ['a verify_tls that is not true or false', 'phantom', { verify_tls: 'maybe' }, /verify_tls/],
  ])('fails with exit 2 on %s, naming the property', (_case, service, change, message) => {
    const project = makeProject();
    const values: Record<string, unknown> = { ...validValues(service), ...change };
    const run = streamalert(['--project', project.dir, 'output', 'new', '--service', service, '--from-file', '-'], { env: isolatedEnv(), input: JSON.stringify(values) });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(() => readFileSync(join(project.dir, 'conf', 'outputs.json'))).toThrow();
  });

  it.each([
    ['a URL that is not one', 'slack', { url: 'notaurl' }, 'error: url must be a URL starting with https:// (or http://), e.g. https://example.com/path (slack, from standard input)'],
    ['a URL of another scheme', 'phantom', { url: 'ftp://soar.example.com' }, 'error: url must be a URL starting with https:// (or http://), e.g. https://example.com/path (phantom, from standard input)'],
    ['an endpoint override that is not a URL', 'pagerduty', { url: 'events.eu.pagerduty.com/v2/enqueue' }, 'error: url must be a URL starting with https:// (or http://), e.g. https://example.com/path (pagerduty, from standard input)'],
    ['a number', 'slack', { url: 12345 }, 'error: property \'url\' must be a string, not a number: write it in quotes, e.g. "url": "..."'],
    ['null', 'pagerduty', { routing_key: null }, 'error: property \'routing_key\' must be a string, not null: write it in quotes, e.g. "routing_key": "..."'],
  ])('refuses %s, exit 2, storing nothing', (_case, service, change, message) => {
    const project = makeProject();
    const values: Record<string, unknown> = { ...validValues(service), ...change };
    const run = streamalert(['--project', project.dir, 'output', 'new', '--service', service, '--from-file', '-'], { env: isolatedEnv(), input: JSON.stringify(values) });
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(`${message}\n`);
    expect(existsSync(join(project.dir, 'conf', 'outputs.json'))).toBe(false);
  });

  it('takes true and false for a property whose choices are those words', () => {
    const project = makeProject();
    const run = streamalert(['--project', project.dir, 'output', 'new', '--service', 'phantom', '--from-file', '-'], { env: isolatedEnv(), input: JSON.stringify({ ...validValues('phantom'), verify_tls: false }) });
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(project.dir, 'conf', 'output_settings.json'), 'utf8'))).toEqual({ phantom: { soc: { verify_tls: 'false' } } });
  });

  it('refuses a --descriptor that differs from the descriptor in the file', () => {
    const project = makeProject();
    const run = streamalert(['--project', project.dir, 'output', 'new', '--service', 'slack', '--descriptor', 'other', '--from-file', '-'], { env: isolatedEnv(), input: JSON.stringify(validValues('slack')) });
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(`error: the descriptor is given twice: --descriptor 'other' and "descriptor": "sec-alerts" in standard input; give it in one place\n`);
    expect(existsSync(join(project.dir, 'conf', 'outputs.json'))).toBe(false);
  });

  it('refuses --update of a descriptor that is not configured: there is nothing to update', () => {
    const project = makeProject({}, { slack: ['sec-alerts'] });
    const run = streamalert(['--project', project.dir, 'output', 'new', '--service', 'slack', '--update', '--from-file', '-'], { env: isolatedEnv(), input: JSON.stringify({ ...validValues('slack'), descriptor: 'beta-rules' }) });
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('error: --update: slack:beta-rules is not configured, so there is nothing to update (configured Slack outputs: sec-alerts); leave out --update to add it\n');
    expect(JSON.parse(readFileSync(join(project.dir, 'conf', 'outputs.json'), 'utf8'))).toEqual({ slack: ['sec-alerts'] });
  });

  it('with --update, keeps the stored value of every property the file leaves out, secrets included', () => {
    const project = makeProject();
    const env = isolatedEnv();
    const values = validValues('phantom');
    const first = streamalert(['--project', project.dir, 'output', 'new', '--service', 'phantom', '--from-file', '-'], { env, input: JSON.stringify(values) });
    expect(first.status, first.stderr).toBe(0);
    const update = streamalert(['--project', project.dir, 'output', 'new', '--service', 'phantom', '--descriptor', 'soc', '--update', '--from-file', '-'], { env, input: JSON.stringify({ verify_tls: 'true' }) });
    expect(update.status, update.stderr).toBe(0);
    expect(update.stdout).toContain('Configured phantom:soc (updated).');

    const shown = JSON.parse(streamalert(['--project', project.dir, 'output', 'get', 'phantom:soc', '--json'], { env }).stdout);
    expect(shown.properties).toEqual({ ph_auth_token: '**** (set)', url: 'https://soar.example.com/****', verify_tls: 'true' });
  });

  it('does not echo malformed input, which may hold a secret', () => {
    const project = makeProject();
    const secret = knownSecret('notjson');
    const run = streamalert(['--project', project.dir, 'output', 'new', '--service', 'slack', '--from-file', '-'], { env: isolatedEnv(), input: `${secret} {` });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('standard input is not valid JSON');
    expect(run.stderr + run.stdout).not.toContain(secret);
  });

  it('reads a file path, and says so when it cannot', () => {
    const project = makeProject();
    const run = streamalert(['--project', project.dir, 'output', 'new', '--service', 'slack', '--from-file', join(project.dir, 'missing.json')], { env: isolatedEnv() });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/could not read .*missing.json: ENOENT/);
  });

  it('without a TTY and without --from-file, explains how to supply values instead of hanging', () => {
    const project = makeProject();
    const run = streamalert(['--project', project.dir, 'output', 'new', '--service', 'slack'], { env: isolatedEnv() });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('no terminal to prompt on');
    expect(run.stderr).toContain('--from-file');
  });

  it('offers only registered services for --service', () => {
    const run = streamalert(['output', 'new', '--service', 'slak', '--from-file', '-'], { env: isolatedEnv() });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/Allowed choices are .*pagerduty.*slack/);
  });

  it('suggests streamalert init when there is no project', () => {
    const dir = isolatedEnv().HOME;
    const run = streamalert(['--project', dir, 'output', 'list'], { env: isolatedEnv() });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("Run 'streamalert init'");
  });
});
