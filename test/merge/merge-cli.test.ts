import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { streamalert, streamalertAsync, waitUntil } from '../support/cli.ts';
import { LoopbackReceiver } from '../support/receiver.ts';
import { SCHEMAS, duoRecord, tempProject } from '../support/rules-project.ts';
import { isolatedEnv } from '../support/secrets.ts';
import { startServe } from '../support/serve.ts';

/**
 * A rule merging by the user's name (nested: StreamAlert finds the key at any depth). The
 * window is a fraction of a minute so that `run` waits seconds, not minutes, for it.
 */
function ruleFile(options: string): string {
  return `import { rule } from 'streamalert';
export const duo_fraud = rule({ logs: ['duo:authentication'], outputs: ['slack:sec-alerts'], mergeByKeys: ['name'], ${options} }, (rec) => rec.result === 'fraud');
`;
}

const TEN_FRAUDS = Array.from({ length: 10 }, (_, i) => JSON.stringify(duoRecord({ timestamp: 1715675412 + i }))).join('\n');

interface ListedAlert {
  id: string;
  merge?: { merged_into?: string; closed: boolean; sent_alone: boolean };
  merge_of?: string[];
  deliveries: { output: string; status: string }[];
}

describe('alert merging through the CLI', () => {
  let slack: LoopbackReceiver;
  const env = isolatedEnv();
  beforeAll(async () => {
    slack = await LoopbackReceiver.start();
  });
  afterAll(() => slack.close());

  /** A project with `rule` and the Slack output pointing at the receiver. */
  function project(rule: string): string {
    const dir = tempProject({ ...SCHEMAS, 'rules/duo_fraud.ts': rule, 'conf/global.json': { delivery: { baseDelayMs: 10, maxDelayMs: 50 } } });
    writeFileSync(join(dir, 'frauds.ndjson'), TEN_FRAUDS);
    const configured = streamalert(['--project', dir, 'output', 'new', '--service', 'slack', '--from-file', '-'], { env, input: JSON.stringify({ descriptor: 'sec-alerts', url: `${slack.url}/services/T/B/X` }) });
    expect(configured.status, configured.stderr).toBe(0);
    return dir;
  }

  const listed = (dir: string): ListedAlert[] => JSON.parse(streamalert(['--project', dir, 'alerts', 'list', '--json'], { env }).stdout) as ListedAlert[];

  it('run: 10 alerts within a window become one delivery carrying count 10, and each stays stored, merged into it', async () => {
    slack.requests.length = 0;
    const dir = project(ruleFile('mergeWindowMins: 0.05'));
    const run = await streamalertAsync(['--project', dir, 'run', '--input', join(dir, 'frauds.ndjson')], { env });
    expect(run.status, run.stderr + run.stdout).toBe(0);
    expect(run.stdout).toContain('Alerts: 10');
    expect(slack.requests).toHaveLength(1);
    expect(slack.requests[0]!.body).toContain('AlertCount');
    expect(slack.requests[0]!.body).toMatch(/AlertCount\W+10\b/);

    const alerts = listed(dir);
    const merged = alerts.filter((a) => a.merge_of);
    expect(merged).toHaveLength(1);
    expect(merged[0]!.deliveries).toEqual([expect.objectContaining({ output: 'slack:sec-alerts', status: 'delivered' })]);
    const members = alerts.filter((a) => a.merge);
    expect(members).toHaveLength(10);
    for (const member of members) expect(member).toMatchObject({ deliveries: [], merge: { merged_into: merged[0]!.id, closed: true, sent_alone: false } });

    const text = streamalert(['--project', dir, 'alerts', 'list'], { env }).stdout;
    expect(text).toContain(`held for merging: not sent on its own: merged into ${merged[0]!.id}`);
    const shown = streamalert(['--project', dir, 'alerts', 'show', merged[0]!.id], { env }).stdout;
    expect(shown).toContain('merged alert: stands for 10 alerts');
    expect(shown).toContain('"MergedBy"');
  });

  it('run with mergeSendFirst: the first alert at once and the summary at the end, 2 messages for 10 alerts', async () => {
    slack.requests.length = 0;
    const dir = project(ruleFile('mergeWindowMins: 0.05, mergeSendFirst: true'));
    const run = await streamalertAsync(['--project', dir, 'run', '--input', join(dir, 'frauds.ndjson')], { env });
    expect(run.status, run.stderr + run.stdout).toBe(0);
    expect(slack.requests).toHaveLength(2);
    expect(slack.requests[0]!.body).not.toContain('AlertCount');
    expect(slack.requests[1]!.body).toMatch(/AlertCount\W+10\b/);
    expect(listed(dir).filter((a) => a.merge?.sent_alone)).toHaveLength(1);
  });

  it('run that stops waiting first says how many windows stay open, and exits 1; a later run waits for the window and sends it', async () => {
    slack.requests.length = 0;
    // Long enough that the window is still open when the first run ends, on a loaded machine too.
    const dir = project(ruleFile('mergeWindowMins: 0.5'));
    const run = await streamalertAsync(['--project', dir, 'run', '--max-wait', '0', '--input', join(dir, 'frauds.ndjson')], { env });
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/Merges: 1 window still open \(alerts stored, not sent yet, the next closes at \S+\)/);
    expect(slack.requests).toHaveLength(0);
    expect(listed(dir).filter((a) => a.merge && !a.merge.closed)).toHaveLength(10);

    writeFileSync(join(dir, 'none.ndjson'), '');
    const later = await streamalertAsync(['--project', dir, 'run', '--input', join(dir, 'none.ndjson')], { env });
    expect(later.status, later.stderr + later.stdout).toBe(0);
    expect(slack.requests).toHaveLength(1);
    expect(slack.requests[0]!.body).toMatch(/AlertCount\W+10\b/);
  });

  it('serve: across a restart mid-window the merge still completes, once', async () => {
    slack.requests.length = 0;
    // Long enough for serve to stop (and the test to see the window still open) before it closes.
    const dir = project(ruleFile('mergeWindowMins: 0.5'));
    const first = await startServe(dir, env);
    const response = await fetch(`${first.base}/v1/records?log_type=duo`, { method: 'POST', body: TEN_FRAUDS });
    expect(response.status).toBe(202);
    expect(await first.stop()).toBe(0);
    const open = listed(dir).filter((a) => a.merge);
    expect(open).toHaveLength(10);
    // Had the machine been slow enough for the window to close before serve stopped, this test would prove nothing: it says so.
    expect(open.every((a) => !a.merge!.closed), 'the window closed before serve stopped: the restart was not mid-window').toBe(true);
    expect(slack.requests).toHaveLength(0);

    const second = await startServe(dir, env);
    await waitUntil(() => slack.requests.length >= 1);
    expect(slack.requests[0]!.body).toMatch(/AlertCount\W+10\b/);
    await waitUntil(() => listed(dir).some((a) => a.merge_of?.length === 10 && a.deliveries.every((d) => d.status === 'delivered')));
    expect(await second.stop()).toBe(0);
    expect(slack.requests).toHaveLength(1);
  });
});
