import type { Alert } from '../alerts/alert.ts';

/** Alerts are stored whole, as JSON with `created` in ISO-8601. */
export function serializeAlert(alert: Alert): string {
  return JSON.stringify({ ...alert, created: alert.created.toISOString() });
}

export function parseAlert(text: string): Alert {
  const raw = JSON.parse(text) as Omit<Alert, 'created'> & { created: string };
  return { ...raw, created: new Date(raw.created) };
}
