import './builtin.ts';
import { toAlertDocument, type Alert } from '../alerts/alert.ts';
import { cloneJson } from '../classifier/record.ts';
import type { Publish } from '../delivery/deliver.ts';
import type { Publication } from '../outputs/output.ts';
import { PublisherError } from './errors.ts';
import { findPublisher } from './publisher.ts';

/**
 * The document `output` (`service:descriptor`) receives for an alert, composed as StreamAlert
 * composes it (streamalert/shared/publisher.py, CompositePublisher): with no publishers assigned,
 * the alert document (the `default` publisher); else the publishers the rule assigned to that
 * output, in order, the first given `{}` and each the previous one's result. Each publisher gets
 * its own copy, so none can change the alert or another's input.
 *
 * @example
 *   publicationFor(alert, 'slack:sec-alerts')  // { '@slack.text': ..., '@slack.attachments': [...], ... }
 */
export function publicationFor(alert: Alert, output: string): Publication {
  const names = alert.publishers[output];
  if (!Array.isArray(names) || names.length === 0) return cloneJson(toAlertDocument(alert));
  let publication: Record<string, unknown> = {};
  for (const name of names) {
    const found = typeof name === 'string' ? findPublisher(name) : undefined;
    // Publishers are checked when rules load; one missing here means the alert was stored by a
    // process that had it (e.g. a publisher since removed from rules/): say so, do not skip it.
    if (!found) throw new PublisherError(`publisher '${String(name)}' (for ${output}, rule ${alert.ruleName}) is not registered; load the project's rules first`);
    const result = found.publish(alert, publication);
    if (typeof result !== 'object' || result === null || Array.isArray(result)) {
      throw new PublisherError(`publisher '${found.name}' returned ${Array.isArray(result) ? 'a list' : String(result)} instead of an object`);
    }
    publication = cloneJson(result);
  }
  return publication;
}

/**
 * The `Publish` hook for `deliver()`: shapes each output's document with the alert's publishers.
 *
 * @example
 *   await deliver(alert, outputs, publish);
 */
export const publish: Publish = (alert, output) => publicationFor(alert, output.name);
