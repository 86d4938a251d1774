import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, streamalert } from '../support/cli.ts';
import { isolatedEnv } from '../support/secrets.ts';

// docs/migrating-from-streamalert.md quotes the files of examples/migrating, and they run: every
// TypeScript example of the guide type-checks and passes its StreamAlert-format test events.

const EXAMPLE = join(ROOT, 'examples', 'migrating');
const DOC = readFileSync(join(ROOT, 'docs', 'migrating-from-streamalert.md'), 'utf8');

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? tsFiles(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : []));
}

describe('docs/migrating-from-streamalert.md', () => {
  const blocks = [...DOC.matchAll(/^```ts\n\/\/ (\S+)\n([\s\S]*?)^```$/gm)].map((match) => ({ path: match[1]!, text: match[2]! }));

  it('quotes each TypeScript example from examples/migrating as it is, and every one of them', () => {
    expect(DOC.match(/^```ts$/gm)).toHaveLength(blocks.length);
    for (const block of blocks) expect(block.text, block.path).toBe(readFileSync(join(EXAMPLE, block.path), 'utf8'));
    expect(blocks.map((block) => block.path).sort()).toEqual(tsFiles(EXAMPLE).map((path) => relative(EXAMPLE, path)).sort());
  });

  it('covers every feature it lists', () => {
    const text = blocks.map((block) => block.text).join('\n');
    for (const option of ['outputs:', 'dynamicOutputs:', 'reqSubkeys:', 'context:', 'disabled: true', 'matchers:', 'datatypes:', 'inNetwork(', 'lookupTable(', 'threatIntel.', "'publishers.community.slack.slack_layout.Summary'", 'staged: true', 'mergeByKeys:']) {
      expect(text, option).toContain(option);
    }
  });

  it('the examples type-check and pass their test events', () => {
    const env = isolatedEnv();
    const check = streamalert(['--project', EXAMPLE, 'rules', 'check'], { env });
    // rules check reads rules/, matchers/, publishers/ and outputs/ (the example has the first two).
    expect(check.stdout).toBe(`${tsFiles(join(EXAMPLE, 'rules')).length + tsFiles(join(EXAMPLE, 'matchers')).length} files checked, no problems\n`);
    expect(check.status, check.stderr).toBe(0);

    const test = streamalert(['--project', EXAMPLE, 'rules', 'test'], { env });
    expect(test.stdout).toContain('Rule tests: 21 events, 21 passed, 0 failed, 1 disabled rule skipped\n');
    expect(test.stderr).toBe('');
    expect(test.status).toBe(0);
  });

  it('points at merging as built, as the rule options document it', () => {
    expect(readFileSync(join(ROOT, 'src', 'rules', 'rule.ts'), 'utf8')).toContain('docs/rules.md#merging-alerts');
    expect(DOC).toContain('[merging alerts](rules.md#merging-alerts)');
  });
});
