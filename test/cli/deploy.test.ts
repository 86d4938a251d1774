import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { streamalert } from '../support/cli.ts';
import { noMoto } from '../support/moto.ts';
import { tempProject } from '../support/rules-project.ts';

// The deploy commands through the real CLI, on a machine with no AWS account: --synth works
// without one; deploy, --diff and destroy --yes stop before doing anything and say what is missing.

const home = mkdtempSync(join(tmpdir(), 'streamalert-no-aws-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));
/** No credentials anywhere the AWS SDK looks: environment, shared files, instance metadata. */
const NO_CREDENTIALS = {
  AWS_ACCESS_KEY_ID: undefined,
  AWS_SECRET_ACCESS_KEY: undefined,
  AWS_SESSION_TOKEN: undefined,
  AWS_PROFILE: undefined,
  AWS_CONFIG_FILE: join(home, 'config'),
  AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
  AWS_EC2_METADATA_DISABLED: 'true',
  HOME: home,
};

const AWS_PROJECT = {
  'conf/global.json': {
    account: { prefix: 'cli', region: 'eu-west-1' },
    secrets: { backend: 'aws-ssm' },
    store: { backend: 'dynamodb' },
    inputs: { kinesis: [{ name: 'cli_logs' }] },
  },
  'conf/outputs.json': { 'aws-s3': { audit: 'cli-audit' } },
};

describe('streamalert deploy and destroy', () => {
  const project = tempProject(AWS_PROJECT);

  it('deploy --synth writes the CloudFormation template to cdk.out/ with no AWS account, and says where', () => {
    const run = streamalert(['deploy', '--synth'], { cwd: project, env: NO_CREDENTIALS });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('Wrote cdk.out/cli-streamalert.template.json');
    for (const fn of ['rulesEngine', 'alertStreamProcessor', 'alertSweeper']) expect(run.stdout).toMatch(new RegExp(`Bundled ${fn}: cdk.out/functions/${fn}/index.mjs \\(\\d+\\.\\d MB\\)`));
    const templates = readdirSync(join(project, 'cdk.out')).filter((file) => file.endsWith('.template.json'));
    expect(templates).toEqual(['cli-streamalert.template.json']);
    const template = JSON.parse(readFileSync(join(project, 'cdk.out', templates[0]!), 'utf8')) as { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };
    const types = Object.values(template.Resources).map((resource) => resource.Type);
    expect(types.filter((type) => type === 'AWS::Lambda::Function')).toHaveLength(3);
    expect(Object.values(template.Resources).find((r) => r.Type === 'AWS::Kinesis::Stream')?.Properties.Name).toBe('cli_logs');
    // The function code is in the assembly, bundled: no Docker, no TypeScript at run time.
    expect(existsSync(join(project, 'cdk.out', 'functions', 'rulesEngine', 'index.mjs'))).toBe(true);
    expect(existsSync(join(project, 'cdk.out', 'functions', 'rulesEngine', 'project', 'conf', 'global.json'))).toBe(true);
  });

  it('destroy without --yes says exactly what is kept and what is deleted, and deletes nothing', () => {
    const run = streamalert(['destroy'], { cwd: project, env: NO_CREDENTIALS });
    expect(run.status, run.stderr).toBe(0);
    const [kept, deleted] = run.stdout.split('Deleted');
    expect(kept).toContain('AWS::DynamoDB::GlobalTable cli_streamalert_alerts');
    expect(kept).toContain('AWS::KMS::Alias alias/cli_streamalert_secrets');
    expect(kept).toContain('AWS::Logs::LogGroup /aws/lambda/cli_streamalert_rules_engine');
    expect(deleted).toContain('3 x AWS::Lambda::Function');
    expect(run.stdout).toContain("Nothing deleted: run 'streamalert destroy --yes'");
  });

  it.each([[['deploy']], [['deploy', '--diff']], [['destroy', '--yes']]])('%s without credentials fails at once, naming the credentials, and synthesizes nothing', (args) => {
    const fresh = tempProject(AWS_PROJECT);
    const run = streamalert(args, { cwd: fresh, env: NO_CREDENTIALS });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^error: streamalert (deploy|deploy --diff|destroy) needs AWS credentials and found none/);
    expect(run.stderr).toContain('AWS_PROFILE');
    expect(existsSync(join(fresh, 'cdk.out'))).toBe(false);
  });

  it.skipIf(noMoto)('deploy --diff with credentials runs the CDK toolkit against CloudFormation (moto): every resource new', () => {
    // The test run's AWS settings: moto's endpoint and fake credentials (test/support/aws-env.ts).
    const run = streamalert(['deploy', '--diff'], { cwd: tempProject(AWS_PROJECT) });
    expect(run.status, run.stderr).toBe(0);
    const said = run.stdout + run.stderr;
    expect(said).toMatch(/\[\+\] AWS::DynamoDB::GlobalTable Alerts\/Table/);
    expect(said).toMatch(/\[\+\] AWS::Lambda::Function Functions\/rulesEngine/);
    expect(said).toMatch(/\[\+\] AWS::Kinesis::Stream Inputs\/Kinesis0/);
    expect(said).toContain('Number of stacks with differences: 1');
  });

  it("keeps cdk.out/ out of a new project's version control", () => {
    const dir = mkdtempSync(join(home, 'init-'));
    expect(streamalert(['--project', dir, 'init', '--bare'], { env: NO_CREDENTIALS }).status).toBe(0);
    expect(readFileSync(join(dir, '.gitignore'), 'utf8').split('\n')).toContain('cdk.out/');
  });

  it('refuses a project whose store or secrets live on this machine, saying what to set', () => {
    const embedded = tempProject({ 'conf/global.json': { account: { prefix: 'cli' } } });
    const run = streamalert(['deploy', '--synth'], { cwd: embedded, env: NO_CREDENTIALS });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`store.backend is 'sqlite'`);
    expect(run.stderr).toContain('"store": {"backend": "dynamodb"}');
    const localSecrets = tempProject({ 'conf/global.json': { store: { backend: 'dynamodb' } } });
    expect(streamalert(['deploy'], { cwd: localSecrets, env: NO_CREDENTIALS }).stderr).toContain(`secrets.backend is 'local'`);
  });
});
