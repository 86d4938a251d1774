import { describe, expect, it } from 'vitest';
import { toAlertDocument } from '../../src/alerts/alert.ts';
import { NORMALIZATION_KEY } from '../../src/normalization/types.ts';
import { publicationFor } from '../../src/publishers/publish.ts';
import { rootAlert } from './alerts.ts';

/** The publication one output gets when the rule assigns it `names`. */
function published(names: string[], fields: Parameters<typeof rootAlert>[1] = {}) {
  return publicationFor(rootAlert({ 'pagerduty:oncall': names }, fields), 'pagerduty:oncall') as Record<string, any>;
}

describe('generic publishers', () => {
  it('default is the alert document, whatever came before', () => {
    const alert = rootAlert({ 'slack:x': ['add_record', 'default'] });
    expect(publicationFor(alert, 'slack:x')).toEqual(toAlertDocument(alert));
  });

  it('add_record adds the record; blank drops everything', () => {
    expect(Object.keys(published(['add_record']))).toEqual(['record']);
    expect(published(['add_record']).record.userIdentity.type).toBe('Root');
    expect(published(['default', 'blank'])).toEqual({});
  });

  it('remove_internal_fields drops staged, publishers and outputs', () => {
    const publication = published(['default', 'remove_internal_fields']);
    expect(publication).not.toHaveProperty('staged');
    expect(publication).not.toHaveProperty('publishers');
    expect(publication).not.toHaveProperty('outputs');
    expect(publication).toHaveProperty('rule_name', 'cloudtrail_root_account_usage');
  });

  it('remove_fields deletes keys a pattern finds, at any depth, lists included', () => {
    const publication = published(['add_record', 'remove_fields'], { context: { remove_fields: ['^sessionContext$', 'Token'] } });
    expect(publication.record.userIdentity).toEqual({ type: 'Root', arn: 'arn:aws:iam::123456789012:root' });
    expect(publication.record.resources).toEqual([{ ARN: 'arn:aws:iam::123456789012:root' }]);
  });

  it('remove_fields takes Python’s pattern syntax, and says when a pattern or the list is malformed', () => {
    const publication = published(['add_record', 'remove_fields'], { context: { remove_fields: ['\\A(?P<word>aws)Region\\Z'] } });
    expect(publication.record).not.toHaveProperty('awsRegion');
    expect(publication.record).toHaveProperty('eventName');
    expect(() => published(['remove_fields'], { context: { remove_fields: 'sessionContext' } })).toThrow('context.remove_fields must be a list of strings');
    expect(() => published(['remove_fields'], { context: { remove_fields: ['(unclosed'] } })).toThrow("remove_fields: context.remove_fields has an invalid regular expression '(unclosed'");
  });

  it('remove_streamalert_normalization deletes the normalizer’s fields wherever they are', () => {
    const record = { user: 'alice', streamalert_normalization: { userName: [{ path: ['user'], values: ['alice'] }] }, nested: [{ [NORMALIZATION_KEY]: {}, keep: 1 }] };
    expect(published(['add_record', 'remove_streamalert_normalization'], { record }).record).toEqual({ user: 'alice', nested: [{ keep: 1 }] });
  });

  it('enumerate_fields flattens to sorted dotted keys, leaving no key for empty objects and lists', () => {
    const publication = published(['default', 'enumerate_fields']);
    const keys = Object.keys(publication);
    expect(keys).toEqual([...keys].sort());
    expect(publication['record.userIdentity.sessionContext.attributes.mfaAuthenticated']).toBe('false');
    expect(publication['record.resources[0].ARN']).toBe('arn:aws:iam::123456789012:root');
    expect(publication['record.readOnly']).toBe(false);
    // context is {} and publishers lists nothing for other outputs: StreamAlert leaves them out.
    expect(keys.some((key) => key.startsWith('context'))).toBe(false);
  });

  it('populate_fields keeps only the named fields, each the list of every value found at any depth', () => {
    const record = { arn: 'top', userIdentity: { arn: 'nested', type: 'Root' }, resources: [{ arn: 'in-list' }], streamalert_normalization: { arn: ['normalized'] } };
    const publication = published(['add_record', 'populate_fields'], { record, context: { populate_fields: ['arn', 'type', 'missing'] } });
    expect(publication).toEqual({ arn: ['top', 'nested', 'in-list'], type: ['Root'], missing: [] });
  });

  it('stringify_arrays joins lists of scalars with newlines, written as Python writes them, and leaves other lists', () => {
    const record = { tags: ['a', 1, true, null], empty: [], mixed: ['a', { b: ['c', 'd'] }], grid: [[1, 2]], deep: { ips: ['1.2.3.4', '5.6.7.8'] } };
    expect(published(['add_record', 'stringify_arrays'], { record }).record).toEqual({
      tags: 'a\n1\nTrue\nNone',
      empty: '',
      mixed: ['a', { b: 'c\nd' }],
      grid: [[1, 2]],
      deep: { ips: '1.2.3.4\n5.6.7.8' },
    });
  });
});
