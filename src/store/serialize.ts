import type { Alert } from '../alerts/alert.ts';

/** Alerts are stored whole, as JSON with `created` in ISO-8601. */
export function serializeAlert(alert: Alert): string {
  return JSON.stringify({ ...alert, created: alert.created.toISOString() });
}

/**
 * The alert stored as `text`; throws, saying what is wrong, when the text is not one (edited by
 * hand, damaged): the fields the engine and every output rely on must be there.
 *
 * @example
 *   parseAlert(serializeAlert(alert))  // an equal alert
 */
export function parseAlert(text: string): Alert {
  let raw: Omit<Alert, 'created'> & { created: string };
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new Error(`not valid JSON (${(error as Error).message})`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new Error('not a JSON object');
  const missing = [
    ...(['id', 'ruleName', 'created'] as const).filter((field) => typeof raw[field] !== 'string'),
    ...(Array.isArray(raw.outputs) ? [] : ['outputs']),
    ...(typeof raw.record === 'object' && raw.record !== null ? [] : ['record']),
  ];
  if (missing.length > 0) throw new Error(`missing or mistyped: ${missing.join(', ')}`);
  const created = new Date(raw.created);
  if (Number.isNaN(created.getTime())) throw new Error(`created is not a date ('${raw.created}')`);
  return { ...raw, created };
}
