import { describe, expect, it } from 'vitest';
import * as api from '../../src/index.ts';
import {
  containsAny,
  dataHasValue,
  dataHasValueFromList,
  dataHasValueFromSubstringList,
  dataHasValueWithSubstring,
  endsWithAny,
  getFirstKey,
  getKeys,
  inNetwork,
  isIpv4,
  lastHour,
  matchesAny,
  pathMatchesAny,
  randomBool,
  safeJsonLoads,
  selectKey,
  startsWithAny,
  validIp,
} from '../../src/rules/helpers.ts';

// Cases follow StreamAlert's own docstrings and tests of rules/helpers/base.py and shared/utils.py.

describe("StreamAlert's rule helpers, typed", () => {
  it('are exported from the package, as rules import them', () => {
    for (const name of ['inNetwork', 'validIp', 'isIpv4', 'pathMatchesAny', 'matchesAny', 'getKeys', 'getFirstKey', 'selectKey', 'safeJsonLoads', 'lastHour', 'fetchValuesByDatatype', 'dataHasValueFromSubstringList']) {
      expect(typeof (api as Record<string, unknown>)[name], name).toBe('function');
    }
  });

  it('validIp: IPv4 in four decimal parts and IPv6; not ::1, not partial or hostnames', () => {
    expect(['10.1.2.3', '2001:db8::1', 'fe80::1%eth0'].map(validIp)).toEqual([true, true, true]);
    expect(['::1', '10.1.2', '10.1.2.256', 'example.com', '', 42, null].map(validIp)).toEqual([false, false, false, false, false, false, false]);
  });

  it('isIpv4: only IPv4 addresses', () => {
    expect(['192.168.0.1', '::ffff:1.2.3.4', '2001:db8::1', '1.2.3'].map(isIpv4)).toEqual([true, false, false, false]);
  });

  it('inNetwork: CIDRs and bare addresses, IPv4 and IPv6 kept apart, bad networks skipped', () => {
    expect(inNetwork('10.1.2.3', ['192.168.0.0/16', '10.0.0.0/8'])).toBe(true);
    expect(inNetwork('10.1.2.3', new Set(['10.1.2.3']))).toBe(true);
    expect(inNetwork('11.1.2.3', ['10.0.0.0/8'])).toBe(false);
    expect(inNetwork('2001:db8::5', ['2001:db8::/32'])).toBe(true);
    expect(inNetwork('10.1.2.3', ['::/0'])).toBe(false);
    expect(inNetwork('10.1.2.3', ['not a network', '10.0.0.0/99', '10.0.0.0/8'])).toBe(true);
    expect(inNetwork('::1', ['::/0'])).toBe(false);
    expect(inNetwork(undefined, ['0.0.0.0/0'])).toBe(false);
  });

  it('pathMatchesAny: PurePath.match, a * within one part, relative patterns from the right', () => {
    expect(pathMatchesAny('/Users/foobar/path/to/file', ['/Users/*/path/*/file'])).toBe(true);
    expect(pathMatchesAny('/Users/foobar/path/to/file', ['/Users/*/file'])).toBe(false); // fnmatch alone would match
    expect(pathMatchesAny('/a/b/run.sh', ['*.sh'])).toBe(true);
    expect(pathMatchesAny('/a/b/run.sh', ['b/*.sh'])).toBe(true);
    expect(pathMatchesAny('/a/b/run.sh', ['/b/*.sh'])).toBe(false);
    expect(pathMatchesAny('/tmp/x1', ['/tmp/x[0-9]'])).toBe(true);
    expect(pathMatchesAny(42, ['*'])).toBe(false);
  });

  it('matchesAny: fnmatch, whose * crosses slashes, with sets and literal brackets', () => {
    expect(matchesAny('abc', ['a*c'])).toBe(true);
    expect(matchesAny('/Users/x/file', ['/Users/*'])).toBe(true);
    expect(matchesAny('a.c', ['a?c'])).toBe(true);
    expect(matchesAny('abc', ['a[!b]c'])).toBe(false);
    expect(matchesAny('a]c', ['a[]]c'])).toBe(true);
    expect(matchesAny('a[c', ['a[c'])).toBe(true);
    expect(matchesAny('a.c', ['a\\.c'])).toBe(false); // backslash is no escape in fnmatch
    expect(matchesAny('ABC', ['abc'])).toBe(false);
  });

  it('startsWithAny, endsWithAny, containsAny: text only', () => {
    expect([startsWithAny('abc', ['x', 'a']), endsWithAny('abc', ['c']), containsAny('abc', ['b']), containsAny(5, ['5'])]).toEqual([true, true, true, false]);
  });

  it('lastHour: within the hours, empty values false, numeric text read, against a given now', () => {
    const now = 1_700_000_000_000;
    const seconds = now / 1000;
    expect(lastHour(seconds - 3600, 1, now)).toBe(true);
    expect(lastHour(seconds - 3601, 1, now)).toBe(false);
    expect(lastHour(String(seconds - 7000), 2, now)).toBe(true);
    expect([lastHour(0, 1, now), lastHour('', 1, now), lastHour(null, 1, now), lastHour('soon', 1, now)]).toEqual([false, false, false, false]);
  });

  it('dataHasValue and its substring and list variants search nested lists and objects', () => {
    const data = { grants: [{ grantee: { uri: 'http://acs.amazonaws.com/groups/global/AllUsers' }, permission: 'READ' }], count: 3 };
    expect(dataHasValue(data, 'READ')).toBe(true);
    expect(dataHasValue(data, 3)).toBe(true);
    expect(dataHasValue(data, 'WRITE')).toBe(false);
    expect(dataHasValueWithSubstring(data, 'AllUsers')).toBe(true);
    expect(dataHasValueFromSubstringList(data, ['AuthenticatedUsers', 'AllUsers'])).toBe(true);
    expect(dataHasValueFromSubstringList(data, ['Nobody'])).toBe(false);
    expect(dataHasValueFromList(data, ['http://*/AllUsers'])).toBe(true);
  });

  it('safeJsonLoads: parsed JSON, or {} when it is not JSON', () => {
    expect(safeJsonLoads('{"auto_generated": false}').auto_generated).toBe(false);
    expect(safeJsonLoads('{not json')).toEqual({});
    expect(safeJsonLoads(undefined)).toEqual({});
    expect(safeJsonLoads('5')).toBe(5);
  });

  it('getKeys: every value of the key at any depth, outer first, at most maxMatches; getFirstKey with a default', () => {
    const data = { path: 'ABC', details: { parent: { path: 'DEF' } }, events: [{ path: 'GHI' }] };
    expect(getKeys(data, 'path')).toEqual(['ABC', 'DEF', 'GHI']);
    expect(getKeys(data, 'path', 1)).toEqual(['ABC']);
    expect(getKeys(data, 'details')).toEqual([{ parent: { path: 'DEF' } }]);
    expect(getFirstKey(data, 'missing', 'none')).toBe('none');
    expect(getFirstKey({ a: [{ b: 0 }] }, 'b', 'none')).toBe(0);
  });

  it('getKeys skips the record normalization, so a normalized type never shadows a field of the same name', () => {
    const data = { 'streamalert_normalization': { userName: [{ values: ['x'], function: null }] }, detail: { userName: 'alice' } };
    expect(getKeys(data, 'userName')).toEqual(['alice']);
  });

  it('selectKey (StreamAlert 1.x): only values that are neither objects nor lists', () => {
    const params = { ipPermissions: { items: [{ ipRanges: { items: [{ cidrIp: '0.0.0.0/0' }, { cidrIp: '10.0.0.0/8' }] } }] }, cidrIp: { nested: true } };
    expect(selectKey(params, 'cidrIp')).toEqual(['0.0.0.0/0', '10.0.0.0/8']);
  });

  it('randomBool: the edges are certain, a probability out of range is refused', () => {
    expect(randomBool(1)).toBe(true);
    expect(randomBool(0) && randomBool(0) && randomBool(0)).toBe(false);
    expect(() => randomBool(1.5)).toThrow(RangeError);
  });
});
