import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, streamalert } from '../support/cli.ts';
import { isolatedEnv, tempDir } from '../support/secrets.ts';

describe('the project streamalert init writes speaks to its user', () => {
  it('has a README of its own: about this folder, not the repository it came from', () => {
    const dir = tempDir();
    const init = streamalert(['--project', dir, 'init'], { env: isolatedEnv() });
    expect(init.status, init.stderr).toBe(0);
    const readme = readFileSync(join(dir, 'README.md'), 'utf8');
    expect(readme).toMatch(/^# Detection rules for StreamAlert\n\nWritten by `streamalert init`: log schemas, five example rules/);
    expect(readme).toContain('\nnpx streamalert rules test ');
    expect(readme).toContain('npx streamalert run --input samples/*');
    for (const section of ['## What is where', '## Commands', '## Adding a rule', '## Adding an output', '## Type-checking']) expect(readme).toContain(`\n${section}\n`);
    // The template's parts for the other kind of project, and its markers, are gone.
    expect(readme).not.toMatch(/<!--|--bare|none yet/);
    expect(readme).not.toMatch(/repository root|npm start|Quickstart project/);
    // The example keeps its own, for readers of the repository.
    expect(readFileSync(join(ROOT, 'examples', 'quickstart', 'README.md'), 'utf8')).toMatch(/^# Quickstart project\n[\s\S]*From the repository root:/);
  });

  it("describes its test events as they are delivered: to files, pages as a file too", () => {
    const dir = tempDir();
    const env = isolatedEnv();
    expect(streamalert(['--project', dir, 'init'], { env }).status).toBe(0);
    const tests = streamalert(['--project', dir, 'rules', 'test', '--rule', 'duo_fraud'], { env });
    expect(tests.status, tests.stdout + tests.stderr).toBe(0);
    expect(tests.stdout).toContain(
      [
        'rules/duo/duo_fraud.json',
        '  pass  #1  A push the user marked as fraud raises an alert (to file:alerts only: the user is no administrator, so no page)',
        '  pass  #2  Fraud against an administrator raises an alert (the dynamic output adds file:pages, PagerDuty in production)',
      ].join('\n'),
    );
    expect(tests.stdout).not.toContain('Slack only');
  });

  it('ends with next steps whose descriptions line up, whatever the project path', () => {
    const parent = tempDir();
    const init = streamalert(['--project', 'a-rather-long-folder-name/detections', 'init'], { env: isolatedEnv(), cwd: parent });
    expect(init.status, init.stderr).toBe(0);
    expect(init.stdout).toContain(
      [
        'Next:',
        "  streamalert --project a-rather-long-folder-name/detections rules test                  run the example rules' test events",
        '  streamalert --project a-rather-long-folder-name/detections run --input samples/*       records -> rules -> alerts -> .streamalert/alerts.jsonl',
        "  streamalert --project a-rather-long-folder-name/detections output new --service slack  add a real output, then name it in a rule's outputs",
      ].join('\n'),
    );
  });
});
