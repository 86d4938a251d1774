import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadProject } from '../../src/config/project.ts';
import { getService, loadServices } from '../../src/outputs/registry.ts';
import '../../src/outputs/builtin.ts';
import { createCredentialStore } from '../../src/secrets/create.ts';
import { BIN } from '../support/cli.ts';
import { findLeaks } from '../support/no-secrets.ts';
import { tempProject } from '../support/rules-project.ts';
import { isolatedEnv } from '../support/secrets.ts';
import { hasTmux, Terminal } from '../support/terminal.ts';

if (!hasTmux && process.env.CI) throw new Error('tmux is needed for the prompt tests (apt-get install tmux)');

// One test per shape of prompt the declarations produce, each at a service that has it. Shapes
// output-new-interactive.test.ts covers already (plain text with a restricted character, masked
// secret never echoed, descriptor taken, Ctrl-C and Ctrl-D) and output-update-interactive.test.ts
// (a stored value offered, Enter keeps it) are not repeated here.
await loadServices();

/** The prompt of one property, in the words its declaration gives (`Please supply <description>:`). */
function promptOf(service: string, name: string): string {
  return `Please supply ${getService(service).properties[name]!.description}:`;
}

function outputSettings(project: string): Record<string, Record<string, Record<string, string>>> {
  const path = join(project, 'conf', 'output_settings.json');
  return existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : {};
}

async function storedSecrets(project: string, env: NodeJS.ProcessEnv, service: string, descriptor: string): Promise<Record<string, string>> {
  const stored = await createCredentialStore(loadProject(project), { env, notice: () => {} }).get({ service, descriptor });
  return Object.fromEntries(Object.entries(stored).map(([name, secret]) => [name, secret.reveal()]));
}

const token = () => randomBytes(16).toString('hex');

describe.skipIf(!hasTmux)('streamalert output new at a real terminal, one test per prompt shape', () => {
  let terminal: Terminal | undefined;
  afterEach(() => terminal?.close());

  function start(service: string) {
    const project = tempProject({});
    const env = isolatedEnv();
    terminal = Terminal.start(`node ${BIN} --project ${project} output new --service ${service}`, { cwd: project, env });
    return { project, env, term: terminal };
  }

  it('a URL property re-asks for a value that is not an http(s) URL; a required one re-asks for an empty answer (servicenow)', async () => {
    const { project, term } = start('servicenow');
    await term.waitFor(promptOf('servicenow', 'descriptor'));
    term.type('itsm');
    term.press('Enter');

    await term.waitFor(promptOf('servicenow', 'url'));
    term.type('acme.service-now.com');
    term.press('Enter');
    await term.waitFor('url must be a URL starting with https:// (or http://), e.g. https://example.com/path');
    term.press('C-u');
    term.type('https://acme.service-now.com');
    term.press('Enter');

    await term.waitFor(promptOf('servicenow', 'username'));
    term.press('Enter');
    await term.waitFor('username is required and may not be empty');
    term.type('svc-streamalert');
    term.press('Enter');

    await term.waitFor(promptOf('servicenow', 'password'));
    term.type(token());
    term.press('Enter');
    expect(await term.exitCode()).toBe(0);
    expect(outputSettings(project)).toEqual({ servicenow: { itsm: { url: 'https://acme.service-now.com', username: 'svc-streamalert' } } });
  });

  it('a property with choices is typed, shows its default, and re-asks for a value not among them (datadog site)', async () => {
    const { project, term } = start('datadog');
    await term.waitFor(promptOf('datadog', 'descriptor'));
    term.type('security');
    term.press('Enter');
    await term.waitFor(promptOf('datadog', 'api_key'));
    term.type(token());
    term.press('Enter');

    await term.waitFor(`${promptOf('datadog', 'site')} (datadoghq.com)`);
    term.type('datadoghq.de');
    term.press('Enter');
    await term.waitFor(`site must be one of: ${getService('datadog').properties.site!.choices!.join(', ')}`);
    term.press('C-u');
    term.type('datadoghq.eu');
    term.press('Enter');

    await term.waitFor(promptOf('datadog', 'api_url'));
    term.press('Enter');
    await term.waitFor(promptOf('datadog', 'tags'));
    term.press('Enter');
    expect(await term.exitCode()).toBe(0);
    expect(outputSettings(project)).toEqual({ datadog: { security: { site: 'datadoghq.eu' } } });
  });

  it('an optional property without a default takes Enter as empty and stores nothing for it (aws-lambda-v2)', async () => {
    const { project, env, term } = start('aws-lambda-v2');
    const functionArn = `arn:aws:lambda:us-east-1:123456789012:function:${token()}`;
    await term.waitFor(promptOf('aws-lambda-v2', 'descriptor'));
    term.type('enrich');
    term.press('Enter');
    await term.waitFor(promptOf('aws-lambda-v2', 'lambda_function_arn'));
    term.type(functionArn);
    term.press('Enter');

    await term.waitFor(promptOf('aws-lambda-v2', 'function_qualifier'));
    term.press('Enter');
    await term.waitFor(promptOf('aws-lambda-v2', 'assume_role_arn'));
    term.press('Enter');
    expect(await term.exitCode()).toBe(0);
    expect(term.screen()).toContain('Configured aws-lambda-v2:enrich.');
    // Neither the optional setting nor the optional secret is stored, as an empty value or otherwise.
    expect(outputSettings(project)['aws-lambda-v2']?.enrich ?? {}).toEqual({});
    expect(await storedSecrets(project, env, 'aws-lambda-v2', 'enrich')).toEqual({ lambda_function_arn: functionArn });
  });

  it('a property with a default shows it, and Enter takes it (github api)', async () => {
    const { project, term } = start('github');
    await term.waitFor(promptOf('github', 'descriptor'));
    term.type('issues');
    term.press('Enter');
    await term.waitFor(promptOf('github', 'repository'));
    term.type('acme/security-alerts');
    term.press('Enter');
    await term.waitFor(promptOf('github', 'labels'));
    term.type('streamalert,triage');
    term.press('Enter');
    await term.waitFor(promptOf('github', 'access_token'));
    term.type(`github_pat_${token()}`);
    term.press('Enter');

    await term.waitFor(`${promptOf('github', 'api')} (https://api.github.com)`);
    term.press('Enter');
    expect(await term.exitCode()).toBe(0);
    expect(outputSettings(project)).toEqual({ github: { issues: { repository: 'acme/security-alerts', labels: 'streamalert,triage', api: 'https://api.github.com' } } });
  });

  it("a property's own check re-asks, masked or not, without showing the rejected value (webhook headers and body_template)", async () => {
    const { project, env, term } = start('webhook');
    const url = `https://hooks.example.com/${token()}`;
    const headerToken = token();
    const rejectedToken = token();
    await term.waitFor(promptOf('webhook', 'descriptor'));
    term.type('receiver');
    term.press('Enter');
    await term.waitFor(promptOf('webhook', 'url'));
    term.type(url);
    term.press('Enter');
    await term.waitFor(`${promptOf('webhook', 'method')} (POST)`);
    term.press('Enter');

    // A masked property: the message says what is wrong and nothing of what was typed.
    await term.waitFor(promptOf('webhook', 'headers'));
    term.type(`{"Authorization": Bearer ${rejectedToken}}`);
    term.press('Enter');
    await term.waitFor('headers must be a JSON object of header names to values');
    term.press('C-u');
    term.type(`{"Authorization":"Bearer ${headerToken}"}`);
    term.press('Enter');

    await term.waitFor(promptOf('webhook', 'body_template'));
    term.type('{"text":"{{rule_name}"}');
    term.press('Enter');
    await term.waitFor('body_template is not a valid Mustache template');
    term.press('C-u');
    term.type('{"text":"{{rule_name}}"}');
    term.press('Enter');

    await term.waitFor(`${promptOf('webhook', 'content_type')} (application/json)`);
    term.press('Enter');
    await term.waitFor(promptOf('webhook', 'hmac_secret'));
    term.press('Enter');
    expect(await term.exitCode()).toBe(0);

    expect(outputSettings(project)).toEqual({ webhook: { receiver: { method: 'POST', body_template: '{"text":"{{rule_name}}"}', content_type: 'application/json' } } });
    expect(await storedSecrets(project, env, 'webhook', 'receiver')).toEqual({ url, headers: `{"Authorization":"Bearer ${headerToken}"}` });
    expect(findLeaks([url.slice(-32), headerToken, rejectedToken], { transcript: await term.transcript() })).toEqual([]);
  });
});
