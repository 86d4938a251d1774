import type { Alert } from '../alerts/alert.ts';

/** The rule's `context[key]`, a list of strings, or `[]` when it is not set. */
export function contextList(alert: Alert, key: string): string[] {
  const value = alert.context[key];
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) throw new Error(`context.${key} must be a list of strings`);
  return value as string[];
}

/** The rule's `context[key]`, a string, or `fallback` when it is not set. */
export function contextString(alert: Alert, key: string, fallback: string): string {
  const value = alert.context[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'string') throw new Error(`context.${key} must be a string`);
  return value;
}
