import { describe, expect, it } from 'vitest';
import { OutputConfigError } from '../../src/outputs/errors.ts';
import { checkPropertyValue } from '../../src/outputs/property.ts';
import { getService } from '../../src/outputs/registry.ts';
import { Secret } from '../../src/secrets/secret.ts';
import { buildTeamsMessage, TEAMS_LIMITS, type Fact, type TeamsMessage } from '../../src/outputs/teams/card.ts';
import { makeOutput, testContext } from '../support/outputs.ts';

// The wire format and answers are the contract's (test/outputs/contract/teams.contract.ts); this
// file covers the card's cuts to Teams' ~28 KB, StreamAlert's @teams publisher fields, and which URLs are taken.
// Limits: https://learn.microsoft.com/en-us/connectors/teams/#known-issues-and-limitations
const context = testContext();
const view = { ruleName: 'r', ruleDescription: 'd', alertId: 'id-1', created: 'now', record: { host: 'web-1', count: 2, user: { name: 'root' } } };
const card = (message: TeamsMessage) => message.attachments[0]!.content;
const bodyBytes = (message: TeamsMessage) => Buffer.byteLength(JSON.stringify(message));
const recordFacts = (message: TeamsMessage) => (card(message).body.at(-1)!.type === 'FactSet' ? card(message).body.at(-1)! : card(message).body.at(-2)!).facts as Fact[];

describe('Teams card', () => {
  it("lays out StreamAlert's card: title, description, the alert's facts, then the record's fields as facts", () => {
    const message = buildTeamsMessage(view, {});
    expect(card(message).body).toEqual([
      expect.objectContaining({ type: 'TextBlock', text: 'StreamAlert Rule Triggered: r', weight: 'Bolder' }),
      expect.objectContaining({ type: 'TextBlock', text: 'd' }),
      { type: 'FactSet', facts: [{ title: 'rule_name', value: 'r' }, { title: 'alert_id', value: 'id-1' }, { title: 'created', value: 'now' }] },
      expect.objectContaining({ type: 'TextBlock', text: 'Record' }),
      { type: 'FactSet', facts: [{ title: 'host', value: 'web-1' }, { title: 'count', value: '2' }, { title: 'user', value: '{"name":"root"}' }] },
    ]);
    expect(card(message).actions).toBeUndefined();
  });

  it('keeps a huge record within the body limit, in order, and says how many fields were left out', () => {
    const record = Object.fromEntries(Array.from({ length: 2_000 }, (_, i) => [`field_${i}`, 'v'.repeat(100)]));
    const message = buildTeamsMessage({ ...view, record }, {});
    expect(bodyBytes(message)).toBeLessThanOrEqual(TEAMS_LIMITS.bodyBytes);
    const shown = recordFacts(message);
    expect(shown.length).toBeGreaterThan(100);
    expect(shown.map((f) => f.title)).toEqual(Object.keys(record).slice(0, shown.length));
    expect(card(message).body.at(-1)).toMatchObject({ text: `(record truncated: ${2_000 - shown.length} more fields not shown)` });
  });

  it('stays within the limit at the worst: every fixed part at its longest, in 4-byte characters, and six buttons', () => {
    const wide = '🚨'.repeat(10_000);
    const buttons = Array.from({ length: 9 }, (_, i) => [wide, `https://example.com/${'x'.repeat(1000)}${i}`]);
    const record = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`${wide}${i}`, wide]));
    const message = buildTeamsMessage({ ...view, ruleName: wide, ruleDescription: wide, record }, { '@teams.buttons': buttons });
    expect(bodyBytes(message)).toBeLessThanOrEqual(TEAMS_LIMITS.bodyBytes);
    expect(card(message).actions).toHaveLength(TEAMS_LIMITS.buttons);
  });

  it("takes StreamAlert's @teams publisher fields: title, description, with_record and [text, url] buttons", () => {
    const message = buildTeamsMessage(view, {
      '@teams.title': 'Root login',
      '@teams.description': 'Investigate now',
      '@teams.with_record': false,
      '@teams.buttons': [['Runbook', 'https://wiki.example.com/root'], ['Bad', 'javascript:alert(1)'], 'not a pair', ['Also bad', 42]],
    });
    expect(card(message).body.map((element) => element.text ?? element.type)).toEqual(['Root login', 'Investigate now', 'FactSet']);
    expect(card(message).actions).toEqual([{ type: 'Action.OpenUrl', title: 'Runbook', url: 'https://wiki.example.com/root' }]);
  });

  it('shows a record that is not an object as one fact', () => {
    expect(recordFacts(buildTeamsMessage({ ...view, record: 'raw line' }, {}))).toEqual([{ title: 'record', value: 'raw line' }]);
  });
});

describe('Teams webhook URLs', () => {
  const { url } = getService('teams').properties;

  it.each([
    'https://prod-27.westeurope.logic.azure.com:443/workflows/abc/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=x',
    'https://default0a1b.2c.environment.api.powerplatform.com:443/powerautomate/automations/direct/workflows/abc/triggers/manual/paths/invoke?api-version=1&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=x',
    'https://relay.internal.example/teams/sec',
  ])('takes a Workflows URL or a relay: %s', (value) => {
    expect(checkPropertyValue('url', url!, value)).toBeUndefined();
  });

  it.each(['https://contoso.webhook.office.com/webhookb2/a@b/IncomingWebhook/c/d', 'https://outlook.office.com/webhook/a@b/IncomingWebhook/c/d'])(
    'refuses a retired Office 365 connector URL with what to do instead, never quoting it: %s',
    (value) => {
      const problem = checkPropertyValue('url', url!, value);
      expect(problem).toMatch(/^url is an Office 365 connector URL, and Microsoft retired those connectors: .*Workflows template 'Send webhook alerts to a channel'/);
      expect(problem).not.toContain('webhookb2');
      expect(() => makeOutput(context, 'teams', { url: new Secret(value) })).toThrow(OutputConfigError);
    },
  );
});
