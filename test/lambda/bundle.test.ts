import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleHandler } from '../../src/lambda/bundle.ts';
import { folderWithoutNodeModules } from '../support/clean-folder.ts';
import { noMoto } from '../support/moto.ts';
import { CLI_TIMEOUT_MS } from '../support/timeouts.ts';
import { cloudtrailEvent } from '../support/rules-project.ts';
import { dynamoDbStreamEvent, kinesisEvent } from './support/events.ts';
import { lambdaProject, rootLoginMessages, type LambdaProject } from './support/lambda-project.ts';

/**
 * Each function's esbuild bundle, run as Lambda would: a fresh Node process importing the one
 * file, from a folder with no node_modules (no tsx, no TypeScript to compile the rules with),
 * the project folder beside it for conf/.
 */
describe.skipIf(noMoto)('the Lambda bundles, against moto', () => {
  let project: LambdaProject;
  let functions: string;
  beforeAll(async () => {
    project = await lambdaProject('dynamodb');
    // A rule whose helper loads its dependency (ipaddr.js) at first use, which a bundle must carry too.
    writeFileSync(
      join(project.dir, 'rules', 'from_documentation_net.ts'),
      `import { inNetwork, rule } from 'streamalert';\nexport const from_documentation_net = rule({ logs: ['cloudtrail:events'], outputs: ['slack:sec-alerts'] }, (rec) => inNetwork(rec.sourceIPAddress, ['198.51.100.0/24']));\n`,
    );
    functions = mkdtempSync(join(folderWithoutNodeModules(), 'streamalert-functions-'));
  });
  afterAll(async () => {
    rmSync(functions, { recursive: true, force: true });
    await project.close();
  });

  /** Imports the bundle in a fresh process and invokes `handler` with `event`; returns its result. */
  async function invokeBundle(outfile: string, handler: string, event: unknown): Promise<unknown> {
    // The event comes on standard input: one over 128 KB is too long for an argument.
    const script = `let input = ''; for await (const chunk of process.stdin) input += chunk;
      const m = await import(${JSON.stringify(pathToFileURL(outfile).href)});
      const result = await m.${handler}(JSON.parse(input), { getRemainingTimeInMillis: () => 60000 });
      console.log(JSON.stringify(result));`;
    // Not spawnSync: the loopback receiver in this process must answer the bundle's deliveries.
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: functions, env: process.env, timeout: CLI_TIMEOUT_MS });
    child.stdin.end(JSON.stringify(event));
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const status = await new Promise<number | null>((resolve) => child.once('close', resolve));
    expect(status, stderr).toBe(0);
    return JSON.parse(stdout.trim().split('\n').at(-1)!);
  }

  it('the rules engine bundle carries the compiled rules, and reports a failing Kinesis record', async () => {
    const bundle = await bundleHandler({ projectDir: project.dir, handler: 'rulesEngine', outfile: join(functions, 'rulesEngine', 'index.mjs') });
    expect(bundle.projectModules).toEqual(['rules/from_documentation_net.ts', 'rules/root_login.ts']);
    // The bundle imports no package when it loads (only node: built-ins); tsx only where a bundle never goes.
    const code = readFileSync(bundle.outfile, 'utf8');
    expect(code.match(/import[^;]{0,200}?from\s*"[^"]+"/g)?.filter((line) => !/from\s*"node:/.test(line)) ?? []).toEqual([]);

    const event = kinesisEvent('bundled-stream', [
      { sequenceNumber: '1', data: JSON.stringify({ Records: [cloudtrailEvent({ eventName: 'BundledRoot' })] }) },
      { sequenceNumber: '2', data: JSON.stringify({ Records: [cloudtrailEvent({ eventName: 'BundledOversized', requestParameters: { padding: 'x'.repeat(420_000) } })] }) },
    ]);
    expect(await invokeBundle(bundle.outfile, 'rulesEngine', event)).toEqual({ read: 2, classified: 2, unclassified: 0, alerts: 4, unparseable: 0, suppressed: {}, batchItemFailures: [{ itemIdentifier: '2' }] });
    const rules = (await project.stored()).map(({ alert }) => [alert.ruleName, alert.record.eventName, alert.sourceService, alert.sourceEntity]);
    expect(rules.sort()).toEqual([
      ['from_documentation_net', 'BundledRoot', 'kinesis', 'bundled-stream'],
      ['root_login', 'BundledRoot', 'kinesis', 'bundled-stream'],
    ]);
  });

  it('the stream processor bundle delivers the new alert the stream names', async () => {
    const alert = (await project.stored()).find(({ alert }) => alert.ruleName === 'root_login')?.alert;
    const bundle = await bundleHandler({ projectDir: project.dir, handler: 'alertStreamProcessor', outfile: join(functions, 'alertStreamProcessor', 'index.mjs') });
    const table = `${JSON.parse(readFileSync(join(project.dir, 'conf', 'global.json'), 'utf8')).account.prefix}_streamalert_alerts`;

    const result = await invokeBundle(bundle.outfile, 'alertStreamProcessor', dynamoDbStreamEvent(table, [{ alertId: alert!.id, output: '#alert' }]));

    expect(result).toEqual({ alerts: 1, deliveries: { 'slack:sec-alerts': { delivered: 1, failed: 0 } } });
    expect(rootLoginMessages(project.slack)).toBe(1);
  });
});
