import { property, type OutputProperty } from '../property.ts';

/**
 * The `verify_tls` property of an output that talks to a server a team runs itself (SOAR,
 * Splunk, Carbon Black), which often has a self-signed certificate: on by default, off only
 * by an explicit word, never by a guess from "no" or "0".
 *
 * @example
 *   verify_tls: verifyTlsProperty('Splunk HEC server'),
 */
export function verifyTlsProperty(server: string): OutputProperty {
  return property(`whether to verify the ${server}'s TLS certificate: true, or false only for a self-signed certificate on a network you trust`, {
    value: 'true',
    optional: true,
    choices: ['true', 'false'],
  });
}

/** Whether a `verify_tls` setting verifies: createOutput has checked it against the choices, so anything but 'false' does. */
export function verifiesTls(setting: string): boolean {
  return setting !== 'false';
}
