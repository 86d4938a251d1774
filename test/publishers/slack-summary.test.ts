import { describe, expect, it } from 'vitest';
import { publicationFor } from '../../src/publishers/publish.ts';
import { rootAlert } from './alerts.ts';

describe('slack_summary (ours, in Block Kit)', () => {
  it('lays out the rule, escaped description, chosen fields and alert id', () => {
    const alert = rootAlert({ 'slack:sec-alerts': ['slack_summary'] }, { context: { summary_fields: ['eventName', 'userIdentity.arn', 'userIdentity', 'nope.missing'] } });
    const publication = publicationFor(alert, 'slack:sec-alerts');
    expect(publication['@slack.text']).toBe('Rule triggered: cloudtrail_root_account_usage');
    const blocks = publication['@slack.blocks'] as Array<Record<string, any>>;
    expect(blocks.map((block) => block.type)).toEqual(['header', 'section', 'section', 'context']);
    expect(blocks[1]!.text.text).toBe('The AWS root user signed in: &lt;investigate&gt; &amp; rotate');
    expect(blocks[2]!.fields.map((field: { text: string }) => field.text)).toEqual([
      '*eventName*\nConsoleLogin',
      '*userIdentity.arn*\narn:aws:iam::123456789012:root',
      '*userIdentity*\n{"type":"Root","arn":"arn:aws:iam::123456789012:root","sessionContext":{"attributes":{"mfaAuthenticated":"false"}}}',
    ]);
    expect(blocks[3]!.elements[0].text).toContain(`Alert \`${alert.id}\``);
  });
  it('shows top-level values by default and stays within Slack limits', () => {
    const record = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`field_${i}`, 'v'.repeat(2500)]));
    const alert = rootAlert({ 'slack:sec-alerts': ['slack_summary'] }, { ruleName: 'r'.repeat(200), ruleDescription: 'd'.repeat(5000), record });
    const blocks = publicationFor(alert, 'slack:sec-alerts')['@slack.blocks'] as Array<Record<string, any>>;
    expect(blocks[0]!.text.text.length).toBeLessThanOrEqual(150);
    expect(blocks[1]!.text.text.length).toBeLessThanOrEqual(3000);
    expect(blocks[2]!.fields).toHaveLength(10);
    for (const field of blocks[2]!.fields) expect(field.text.length).toBeLessThanOrEqual(2000);
    expect(blocks[2]!.fields[0].text.startsWith('*field_0*\nvvv')).toBe(true);
  });
});
