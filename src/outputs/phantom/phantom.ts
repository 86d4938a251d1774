import type { Alert, Severity } from '../../alerts/alert.ts';
import { OutputBase, type Attempt, type Publication } from '../output.ts';
import { property } from '../property.ts';
import { descriptorProperty, output } from '../registry.ts';
import { delivered, failed, type DispatchResult } from '../result.ts';
import { fitArtifact, SOAR_ARTIFACT_MAX_BYTES } from './artifact-size.ts';
import { toCef } from './cef.ts';
import { SoarClient, type Step } from './soar-client.ts';

/** SOAR ships the severities high, medium and low; ours are PagerDuty's four. */
const SOAR_SEVERITY: Readonly<Record<Severity, string>> = { critical: 'high', error: 'high', warning: 'medium', info: 'low' };

/** A label every SOAR install has; containers must use an existing label. */
const CONTAINER_LABEL = 'events';
const ARTIFACT_LABEL = 'alert';

/**
 * Splunk SOAR (formerly Phantom): one container per rule, found by name or created, and one
 * artifact per alert holding the record as CEF.
 * REST reference: https://help.splunk.com/en/splunk-soar/soar-cloud/rest-api-reference
 * (container-endpoints/rest-containers, artifact-endpoints/rest-artifact).
 *
 * Idempotency: the artifact's source_data_identifier is the alert id. Before adding to a
 * container that already existed, the output looks for an artifact with that identifier (an
 * earlier attempt may have been stored before its answer was lost), and a create that SOAR
 * answers with `existing_artifact_id` counts as delivered. The reference is
 * `<container id>/<artifact id>`.
 */
@output
export class PhantomOutput extends OutputBase {
  static override readonly service = 'phantom';
  static override readonly displayName = 'Phantom';
  static override readonly properties = {
    descriptor: descriptorProperty('Phantom', 'SOAR instance, tenant, etc'),
    ph_auth_token: property('the auth token (ph-auth-token) of a SOAR automation user for this Phantom integration', { secret: true }),
    // Secret as in StreamAlert: a base URL may carry a tenant path. URLs contain colons.
    url: property('the Splunk SOAR (Phantom) base url for this integration, e.g. https://soar.example.com', {
      secret: true,
      url: true,
      inputRestrictions: [' '],
    }),
    verify_tls: property("whether to verify the SOAR server's TLS certificate: true, or false only for a self-signed certificate on a network you trust", {
      value: 'true',
      optional: true,
      // An explicit word only, never a guess from "no" or "0".
      choices: ['true', 'false'],
    }),
  };
  static override readonly limits = {
    // SOAR documents no limit: artifact-size.ts says why this bound. Over it the record is cut.
    message: { max: SOAR_ARTIFACT_MAX_BYTES, unit: 'bytes', over: 'truncated' },
    // SOAR runs on the customer's own host and documents no rate limit, so none is declared.
    source: 'https://help.splunk.com/en/splunk-soar/soar-cloud/rest-api-reference/artifact-endpoints/rest-artifact',
  } as const;

  async dispatch(alert: Alert, publication: Publication, attempt: Attempt = {}): Promise<DispatchResult> {
    // createOutput has checked the value against `choices`: anything but 'false' verifies.
    const verifyTls = this.setting('verify_tls') !== 'false';
    const soar = new SoarClient(this.context.http, {
      baseUrl: this.setting('url'),
      authToken: this.setting('ph_auth_token'),
      verifyTls,
      // One deadline for the attempt's requests together (up to three).
      signal: attempt.signal,
    });

    const container = await this.container(soar, alert, publication);
    if (!container.ok) return container.result;
    const containerId = container.value.id;

    if (container.value.existed) {
      const earlier = await soar.findArtifact(containerId, alert.id);
      if (!earlier.ok) return earlier.result;
      if (earlier.value !== undefined) return delivered(`${containerId}/${earlier.value}`);
    }

    const fitted = fitArtifact({
      container_id: containerId,
      name: alert.ruleName,
      label: ARTIFACT_LABEL,
      severity: SOAR_SEVERITY[alert.severity],
      source_data_identifier: alert.id,
      start_time: alert.created.toISOString(),
      cef: toCef(publication.record ?? alert.record),
      data: publication,
      // The alert's only artifact: let active playbooks run on it.
      run_automation: true,
    });
    if (!fitted) {
      return failed('too_large', `the artifact is over ${SOAR_ARTIFACT_MAX_BYTES.toLocaleString('en-US')} bytes even without its record: a publisher's fields of the alert document are too large`);
    }
    const artifact = await soar.createArtifact(fitted);
    return artifact.ok ? delivered(`${containerId}/${artifact.value.id}`) : artifact.result;
  }

  /** The rule's container: the newest one named after the rule, or a new one. */
  private async container(soar: SoarClient, alert: Alert, publication: Publication): Promise<Step<{ id: number; existed: boolean }>> {
    const found = await soar.findContainer(alert.ruleName);
    if (!found.ok) return found;
    if (found.value !== undefined) return { ok: true, value: { id: found.value, existed: true } };

    const created = await soar.createContainer({
      name: alert.ruleName,
      description: String(publication.rule_description ?? alert.ruleDescription),
      label: CONTAINER_LABEL,
      severity: SOAR_SEVERITY[alert.severity],
      // SOAR answers a second create with this identifier with the first container's id, so two
      // dispatchers racing to create the rule's container end up sharing one.
      source_data_identifier: `streamalert:${alert.ruleName}`,
    });
    // A container that SOAR says already existed may already hold this alert's artifact.
    return created.ok ? { ok: true, value: { id: created.value.id, existed: created.value.duplicate } } : created;
  }
}
