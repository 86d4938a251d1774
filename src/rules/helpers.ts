/**
 * The helpers of StreamAlert's rules/helpers/base.py (and those it re-exports from
 * streamalert/shared/utils.py) that rules use, in camelCase, with StreamAlert's semantics: a
 * Python rule that calls them ports line for line. Each names its StreamAlert original.
 *
 * @example
 *   import { rule, getKeys, inNetwork } from 'streamalert';
 *   export const ingress_anywhere = rule({ logs: ['cloudwatch:events'], outputs: ['slack:sec'] },
 *     (rec) => getKeys(rec.detail.requestParameters, 'cidrIp').includes('0.0.0.0/0'));
 */
import { createRequire } from 'node:module';
import type * as IpAddr from 'ipaddr.js';
import { NORMALIZATION_KEY } from '../normalization/types.ts';

export { fetchValuesByDatatype } from '../normalization/record.ts';

type IpAddrModule = typeof IpAddr;
type Address = IpAddr.IPv4 | IpAddr.IPv6;

// Loaded at first use: most commands and many projects never test an address.
let ipaddr: IpAddrModule | undefined;
const ipAddrModule = (): IpAddrModule => (ipaddr ??= createRequire(import.meta.url)('ipaddr.js') as IpAddrModule);

/** Compiled patterns and parsed networks, bounded: rules pass the same few again and again. */
const MAX_CACHED = 1_000;
function cached<V>(cache: Map<string, V>, key: string, make: (key: string) => V): V {
  let value = cache.get(key);
  if (value === undefined && !cache.has(key)) {
    value = make(key);
    if (cache.size >= MAX_CACHED) cache.clear();
    cache.set(key, value);
  }
  return value as V;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isText = (value: unknown): value is string => typeof value === 'string';

/**
 * `valid_ip`: true for an IPv4 address (four decimal parts) or an IPv6 address. As in StreamAlert,
 * `'::1'` is not valid (loopback is never of interest).
 *
 * @example
 *   validIp('10.1.2.3')  // true
 *   validIp('10.1.2')    // false
 */
export function validIp(ip: unknown): boolean {
  if (!isText(ip) || ip === '::1') return false;
  const { IPv4, IPv6 } = ipAddrModule();
  return IPv4.isValidFourPartDecimal(ip) || IPv6.isValid(ip);
}

/**
 * What a port of `ipaddress.IPv4Address(value)` checks (StreamAlert's packetbeat rule): an IPv4
 * address, four decimal parts.
 *
 * @example
 *   isIpv4('192.168.0.1')  // true
 *   isIpv4('::ffff:1.2.3.4')  // false
 */
export function isIpv4(ip: unknown): boolean {
  return isText(ip) && ipAddrModule().IPv4.isValidFourPartDecimal(ip);
}

const networks = new Map<string, [Address, number] | null>();

/** A CIDR, or a bare address as its own network (as netaddr's IPNetwork reads it); null when it is neither. */
function parseNetwork(cidr: string): [Address, number] | null {
  const { IPv4, IPv6, parse, parseCIDR } = ipAddrModule();
  try {
    if (cidr.includes('/')) return parseCIDR(cidr);
    if (!IPv4.isValidFourPartDecimal(cidr) && !IPv6.isValid(cidr)) return null;
    const address = parse(cidr);
    return [address, address.kind() === 'ipv4' ? 32 : 128];
  } catch {
    return null;
  }
}

/**
 * `in_network`: true when the address is valid (see validIp) and in one of the networks. A
 * network that does not parse is skipped (StreamAlert logs it); an IPv4 address is never in an
 * IPv6 network, nor the other way round.
 *
 * @example
 *   inNetwork('10.1.2.3', ['10.0.0.0/8', '192.168.0.0/16'])  // true
 */
export function inNetwork(ip: unknown, cidrs: Iterable<string>): boolean {
  if (!validIp(ip)) return false;
  const address = ipAddrModule().parse(ip as string);
  for (const cidr of cidrs) {
    const network = isText(cidr) ? cached(networks, cidr, parseNetwork) : null;
    if (network !== null && network[0].kind() === address.kind() && address.match(network)) return true;
  }
  return false;
}

const fnmatchPatterns = new Map<string, RegExp>();

/**
 * Python's fnmatch.translate: `*` any run of characters (`/` included), `?` one, `[seq]` and
 * `[!seq]` sets; a `[` without its `]` is itself. Case-sensitive, as fnmatch is on POSIX.
 */
function translate(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i]!;
    if (char === '*') source += '[\\s\\S]*';
    else if (char === '?') source += '[\\s\\S]';
    else if (char === '[') {
      let j = i + 1;
      if (pattern[j] === '!') j++;
      if (pattern[j] === ']') j++;
      while (j < pattern.length && pattern[j] !== ']') j++;
      if (j >= pattern.length) source += '\\[';
      else {
        let set = pattern.slice(i + 1, j).replace(/[\\^\]]/g, '\\$&');
        if (set.startsWith('!')) set = `^${set.slice(1)}`;
        source += `[${set}]`;
        i = j;
      }
    } else source += char.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^(?:${source})$`, 'u');
}

function fnmatch(text: string, pattern: string): boolean {
  return cached(fnmatchPatterns, pattern, translate).test(text);
}

/**
 * `matches_any`: the text matches one of the fnmatch patterns (`*`, `?`, `[...]`); false for
 * anything but text.
 *
 * @example
 *   matchesAny('abc', ['a*c'])  // true
 */
export function matchesAny(text: unknown, patterns: Iterable<string>): boolean {
  if (!isText(text)) return false;
  for (const pattern of patterns) if (fnmatch(text, pattern)) return true;
  return false;
}

/** A path's parts as pathlib splits them: empty and `.` parts dropped, the root kept apart. */
function pathParts(path: string): { absolute: boolean; parts: string[] } {
  return { absolute: path.startsWith('/'), parts: path.split('/').filter((part) => part !== '' && part !== '.') };
}

/**
 * `path_matches_any`: the path matches one of the patterns as pathlib's `PurePath.match` does,
 * part by part with fnmatch, so `*` stays within one part: a relative pattern matches the path's
 * last parts, an absolute one the whole path. False for anything but text.
 *
 * @example
 *   pathMatchesAny('/Users/foobar/path/to/file', ['/Users/*\/path/*\/file'])  // true
 *   pathMatchesAny('/a/b/c.sh', ['*.sh'])                                    // true
 */
export function pathMatchesAny(text: unknown, patterns: Iterable<string>): boolean {
  if (!isText(text)) return false;
  const path = pathParts(text);
  for (const raw of patterns) {
    const pattern = pathParts(raw);
    if (pattern.parts.length === 0) continue; // Python raises ValueError('empty pattern')
    if (pattern.absolute ? !path.absolute || pattern.parts.length !== path.parts.length : pattern.parts.length > path.parts.length) continue;
    const offset = path.parts.length - pattern.parts.length;
    if (pattern.parts.every((part, i) => fnmatch(path.parts[offset + i]!, part))) return true;
  }
  return false;
}

/**
 * `starts_with_any`: the text starts with one of the prefixes; false for anything but text.
 *
 * @example
 *   startsWithAny('abc', ['a'])  // true
 */
export function startsWithAny(text: unknown, prefixes: Iterable<string>): boolean {
  if (!isText(text)) return false;
  for (const prefix of prefixes) if (text.startsWith(prefix)) return true;
  return false;
}

/**
 * `ends_with_any`: the text ends with one of the suffixes; false for anything but text.
 *
 * @example
 *   endsWithAny('abc', ['c'])  // true
 */
export function endsWithAny(text: unknown, suffixes: Iterable<string>): boolean {
  if (!isText(text)) return false;
  for (const suffix of suffixes) if (text.endsWith(suffix)) return true;
  return false;
}

/**
 * `contains_any`: the text contains one of the substrings; false for anything but text.
 *
 * @example
 *   containsAny('abc', ['b'])  // true
 */
export function containsAny(text: unknown, substrings: Iterable<string>): boolean {
  if (!isText(text)) return false;
  for (const substring of substrings) if (text.includes(substring)) return true;
  return false;
}

/**
 * `last_hour`: the epoch time (seconds; a number or numeric text) is at most `hours` hours ago.
 * False for an empty value (0, '', null: shell histories without a time), and, where Python's
 * int() would raise, for text that is not a whole number. `now` (milliseconds) is for tests.
 *
 * @example
 *   lastHour(Math.floor(Date.now() / 1000) - 60)  // true
 *   lastHour(rec.columns.time, 24)
 */
export function lastHour(unixtime: unknown, hours = 1, now: number = Date.now()): boolean {
  if (unixtime === null || unixtime === undefined || unixtime === '' || unixtime === 0 || unixtime === false) return false;
  let seconds: number;
  if (typeof unixtime === 'number') seconds = Math.trunc(unixtime);
  else if (isText(unixtime) && /^\s*[-+]?\d+\s*$/.test(unixtime)) seconds = Number(unixtime.trim());
  else return false;
  return Math.floor(now / 1000) - seconds <= hours * 3600;
}

/** Every leaf of nested lists and objects (each value that is neither), depth first; `visit` returns true to stop. */
function someLeaf(data: unknown, visit: (leaf: unknown) => boolean): boolean {
  if (Array.isArray(data)) return data.some((item) => someLeaf(item, visit));
  if (isObject(data)) return Object.values(data).some((value) => someLeaf(value, visit));
  return visit(data);
}

/**
 * `data_has_value`: some value anywhere in the nested data equals the one searched for.
 *
 * @example
 *   dataHasValue({ a: [{ b: 'x' }] }, 'x')  // true
 */
export function dataHasValue(data: unknown, searchValue: unknown): boolean {
  return someLeaf(data, (leaf) => leaf === searchValue);
}

/**
 * `data_has_value_with_substring`: some text anywhere in the nested data contains the substring.
 *
 * @example
 *   dataHasValueWithSubstring({ acl: ['uri=http://acs.amazonaws.com/groups/global/AllUsers'] }, 'AllUsers')  // true
 */
export function dataHasValueWithSubstring(data: unknown, searchValue: string): boolean {
  return someLeaf(data, (leaf) => isText(leaf) && leaf.includes(searchValue));
}

/**
 * `data_has_value_from_list`: some text anywhere in the nested data matches one of the fnmatch
 * patterns (see matchesAny).
 *
 * @example
 *   dataHasValueFromList({ cmd: 'curl http://x | sh' }, ['*| sh'])  // true
 */
export function dataHasValueFromList(data: unknown, needles: Iterable<string>): boolean {
  const patterns = [...needles];
  return someLeaf(data, (leaf) => matchesAny(leaf, patterns));
}

/**
 * `data_has_value_from_substring_list`: some text anywhere in the nested data contains one of the
 * substrings. (Python raises on a number among the values; here a value that is not text never
 * matches.)
 *
 * @example
 *   dataHasValueFromSubstringList(rec.detail.requestParameters, ['AllUsers', 'AuthenticatedUsers'])
 */
export function dataHasValueFromSubstringList(data: unknown, needles: Iterable<string>): boolean {
  const substrings = [...needles];
  return someLeaf(data, (leaf) => isText(leaf) && leaf !== '' && substrings.some((needle) => leaf.includes(needle)));
}

/**
 * `safe_json_loads`: the JSON text parsed, or `{}` when it is not JSON (or not text). Like
 * Python's json.loads it returns whatever the text holds: a number for `'5'`, null for `'null'`.
 *
 * @example
 *   safeJsonLoads(rec.description).auto_generated === false
 */
// `any`: what the text holds is the record's business, read as freely as the record itself.
export function safeJsonLoads(data: unknown): any {
  if (!isText(data)) return {};
  try {
    return JSON.parse(data);
  } catch {
    return {};
  }
}

/**
 * `random_bool`: true with the given probability, for sampling very noisy rules.
 *
 * @example
 *   randomBool(0.1)  // true about one time in ten
 */
export function randomBool(probabilityOfTrue: number): boolean {
  if (!(probabilityOfTrue >= 0 && probabilityOfTrue <= 1)) throw new RangeError('Probability must be between 0.0 and 1.0');
  return Math.random() <= probabilityOfTrue;
}

/** An own, enumerable key: a record's normalized() method and normalization are not data. */
const hasField = (object: object, key: string): boolean => Object.prototype.propertyIsEnumerable.call(object, key);

/**
 * `get_keys`: the values of every `searchKey` anywhere in the nested data, outer levels first;
 * with `maxMatches` > 0, at most that many. The record's normalization is not searched.
 *
 * @example
 *   getKeys({ path: 'A', details: { parent: { path: 'B' } }, events: [{ path: 'C' }] }, 'path')  // ['A', 'B', 'C']
 */
export function getKeys(data: unknown, searchKey: string, maxMatches = -1): unknown[] {
  const results: unknown[] = [];
  const queue: unknown[] = [data];
  for (let next = 0; next < queue.length; next++) {
    const container = queue[next];
    if (isObject(container)) {
      if (hasField(container, searchKey)) {
        results.push(container[searchKey]);
        if (maxMatches > 0 && results.length === maxMatches) return results;
      }
      for (const key in container) {
        if (key === NORMALIZATION_KEY) continue;
        const value = container[key];
        if (isNonEmptyContainer(value)) queue.push(value);
      }
    } else if (Array.isArray(container)) {
      for (const value of container) if (isNonEmptyContainer(value)) queue.push(value);
    }
  }
  return results;
}

function isNonEmptyContainer(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  return isObject(value) && Object.keys(value).length > 0;
}

/**
 * `get_first_key`: the value of the first `searchKey` found anywhere in the nested data (see
 * getKeys), or `defaultValue`. Only for keys that occur once.
 *
 * @example
 *   getFirstKey(rec, 'userName', 'unknown')
 */
export function getFirstKey(data: unknown, searchKey: string, defaultValue: unknown = null): unknown {
  const found = getKeys(data, searchKey, 1);
  return found.length > 0 ? found[0] : defaultValue;
}

/**
 * `select_key` (StreamAlert 1.x's helpers/base.py): the values of every `searchKey` anywhere in
 * the nested data that are neither objects nor lists, depth first.
 *
 * @example
 *   selectKey(rec.requestParameters, 'cidrIp')  // ['0.0.0.0/0', '10.0.0.0/8']
 */
export function selectKey(data: unknown, searchKey: string): unknown[] {
  const results: unknown[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (isObject(value)) {
      for (const key in value) {
        const child = value[key];
        if (Array.isArray(child) || isObject(child)) visit(child);
        else if (key === searchKey) results.push(child);
      }
    }
  };
  visit(data);
  return results;
}
