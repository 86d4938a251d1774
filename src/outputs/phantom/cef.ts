export type CefValue = string | number | boolean | null;

/**
 * Turns a record into an artifact's `cef`: SOAR's CEF is a flat set of key:value pairs
 * (https://help.splunk.com/en/splunk-soar/soar-cloud/rest-api-reference/cef-endpoints), and
 * playbook datapaths step through values with `.` (artifact:*.cef.sourceAddress), so:
 * - nested objects are flattened with `_` (never `.`, which a datapath would read as a step);
 * - arrays and empty objects become their JSON text (a CEF value is one value);
 * - scalars are kept as they are. On a key clash the first one wins.
 * A record that is not an object (a publisher may replace it) is kept as `{ record: <text> }`.
 * The artifact's `data` field keeps the alert document unflattened.
 *
 * @example
 *   toCef({ eventName: 'ConsoleLogin', userIdentity: { type: 'Root' }, ips: ['1.2.3.4'] })
 *   // { eventName: 'ConsoleLogin', userIdentity_type: 'Root', ips: '["1.2.3.4"]' }
 */
export function toCef(record: unknown): Record<string, CefValue> {
  if (!isObject(record)) return { record: typeof record === 'string' ? record : JSON.stringify(record) ?? null };
  const cef: Record<string, CefValue> = {};
  flattenInto(cef, '', record);
  return cef;
}

function flattenInto(cef: Record<string, CefValue>, prefix: string, object: Readonly<Record<string, unknown>>): void {
  for (const [key, value] of Object.entries(object)) {
    const name = `${prefix}${key}`;
    if (isObject(value) && Object.keys(value).length > 0) {
      flattenInto(cef, `${name}_`, value);
    } else if (!(name in cef) && value !== undefined) {
      cef[name] = isScalar(value) ? value : JSON.stringify(value);
    }
  }
}

function isScalar(value: unknown): value is CefValue {
  return value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
