/** Threat intel asked for where it is not enabled. Thrown inside a rule: counted as that rule's error, with the fix. */
export class ThreatIntelError extends Error {
  override name = 'ThreatIntelError';
}
