import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN } from '../support/cli.ts';
import { SCHEMAS, duoRecord, tempProject } from '../support/rules-project.ts';
import { isolatedEnv } from '../support/secrets.ts';
import { hasTmux, Terminal } from '../support/terminal.ts';
import { CLI_TIMEOUT_MS } from '../support/timeouts.ts';

describe.skipIf(!hasTmux)('streamalert run at a terminal', () => {
  let terminal: Terminal | undefined;
  afterEach(() => terminal?.close());

  it('shows a progress bar through a large file, then the summary', async () => {
    const dir = tempProject({ ...SCHEMAS, 'rules/none.ts': "import { rule } from 'streamalert';\nexport const never = rule({ logs: ['duo:authentication'], outputs: ['file:audit'] }, () => false);\n", 'conf/outputs.json': { file: ['audit'] } });
    const input = join(dir, 'big.ndjson');
    const line = `${JSON.stringify(duoRecord({ result: 'success' }))}\n`;
    const out = createWriteStream(input);
    for (let i = 0; i < 400_000; i++) out.write(line);
    await new Promise((resolve) => out.end(resolve));

    terminal = Terminal.start(`node ${BIN} --project ${dir} run --input ${input}`, { cwd: dir, env: isolatedEnv() });
    const during = await terminal.waitFor(/big\.ndjson \[#*-+\]\s+\d+% records [\d,]+, alerts 0/);
    expect(during).not.toContain('Read 400,000');
    expect(await terminal.exitCode(CLI_TIMEOUT_MS)).toBe(0);
    expect(terminal.screen()).toContain('Read 400,000 input records');
  });
});
