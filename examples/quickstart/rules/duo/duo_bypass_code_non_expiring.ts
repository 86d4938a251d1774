import { rule } from 'streamalert';

/** Duo administrator logs put the action's details in `description`, as JSON text. */
function details(description: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(description);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** A bypass code that never expires is a standing second factor anyone holding it can use. */
export const duo_bypass_code_non_expiring = rule(
  {
    logs: ['duo:administrator'],
    // Local audit trail for the quickstart. In production: ['slack:sec-alerts'] (docs/outputs/README.md, Strategy).
    outputs: ['file:alerts'],
    severity: 'error',
    description: 'A Duo administrator created a bypass code that never expires',
  },
  (rec) => rec.action === 'bypass_create' && details(rec.description).valid_secs === null,
);
