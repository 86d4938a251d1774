import type { Alert } from '../../alerts/alert.ts';
import type { Publication } from '../output.ts';
import { property } from '../property.ts';
import { descriptorProperty, output } from '../registry.ts';
import { delivered, type DispatchResult } from '../result.ts';
import type { HttpResponse } from '../http/client.ts';
import { parseJsonObject } from '../http/json.ts';
import { JsonWebhookOutput, type WebhookRequest } from '../http/json-webhook.ts';
import { verifiesTls, verifyTlsProperty } from '../http/verify-tls.ts';
import { buildIncident, DEMISTO_LIMITS } from './incident.ts';

/**
 * Cortex XSOAR (formerly Demisto): one incident per alert, POST <url>/incident with the API key
 * in `Authorization` (and, for an XSOAR 8 standard key, its id in `x-xdr-auth-id`). XSOAR
 * answers with the incident; its `id` is the reference.
 * https://docs-cortex.paloaltonetworks.com/r/Cortex-XSOAR/8.6/Cortex-XSOAR-On-prem-Documentation/Cortex-XSOAR-API
 *
 * XSOAR publishes no status table of its own, so the shared one applies: 400 fails, 401 and 403
 * (a wrong or revoked key) fail as auth, 5xx retry.
 */
@output
export class DemistoOutput extends JsonWebhookOutput {
  static override readonly service = 'demisto';
  static override readonly displayName = 'Demisto';
  static override readonly properties = {
    descriptor: descriptorProperty('Demisto', 'XSOAR instance, tenant, etc'),
    // As in StreamAlert: kept with the credentials (a tenant's address), shown as typed.
    url: property('the Cortex XSOAR (Demisto) API url, e.g. https://xsoar.example.com or https://api-tenant.example.com/xsoar', {
      credRequirement: true,
      url: true,
      inputRestrictions: [' '],
    }),
    token: property('the Cortex XSOAR (Demisto) API key', { secret: true }),
    api_key_id: property('the API key id, only for an XSOAR 8 standard key (sent as x-xdr-auth-id); empty for XSOAR 6', { credRequirement: true, optional: true }),
    verify_tls: verifyTlsProperty('XSOAR server'),
  };
  static override readonly limits = {
    message: { max: DEMISTO_LIMITS.bodyChars, unit: 'characters', over: 'truncated' },
    source: 'https://docs-cortex.paloaltonetworks.com/r/Cortex-XSOAR/8.6/Cortex-XSOAR-On-prem-Documentation/Cortex-XSOAR-API',
  } as const;
  protected override readonly readsSuccessBody = true;

  protected request(alert: Alert, publication: Publication): WebhookRequest {
    const token = this.setting('token');
    const keyId = this.setting('api_key_id');
    return {
      // Joined as text: a bad base URL is then the HTTP client's config failure, not a throw.
      url: `${this.setting('url').replace(/\/+$/, '')}/incident`,
      json: buildIncident(alert, publication),
      headers: { accept: 'application/json', authorization: token, ...(keyId ? { 'x-xdr-auth-id': keyId } : {}) },
      secrets: [token],
      verifyTls: verifiesTls(this.setting('verify_tls')),
    };
  }

  protected override delivered(response: HttpResponse): DispatchResult {
    const id = parseJsonObject(response.body)?.id;
    return typeof id === 'string' || typeof id === 'number' ? delivered(String(id)) : delivered();
  }
}
