import { expect } from 'vitest';
import { createOutput } from '../../../src/outputs/registry.ts';
import { Secret } from '../../../src/secrets/secret.ts';
import { contextFor, type Mode, type ServiceContract } from '../../support/contract.ts';
import { decodeHeader, LoopbackSmtpRelay, parseMail, type RelayMode } from '../../support/smtp-relay.ts';
import { ANSWER_TIMEOUT_MS, HANG_TIMEOUT_MS } from '../../support/timeouts.ts';

const USER = 'streamalert';
const PASSWORD = 'Smtp-Pa55word-for-the-contract-0193';

/**
 * The SMTP replies each mode stands for: a 451 ("local error in processing", RFC 5321 4.2.2)
 * for a server failure, a 421 ("service not available, closing", how relays say "slow down")
 * for a rate limit, a 535 to AUTH for a refused login, no answer to DATA, a reset after DATA.
 */
const RELAY_MODES: Record<Mode, RelayMode> = {
  ok: 'ok',
  server_error: { code: 451, message: '4.3.0 local error in processing', at: 'data' },
  rate_limited: { code: 421, message: '4.7.0 too many messages, slow down', at: 'mail' },
  auth: { code: 535, message: '5.7.8 Authentication credentials invalid', at: 'auth' },
  hang: 'hang',
  reset: 'reset',
};

const contract: ServiceContract = {
  service: 'email',
  docs: ['https://www.rfc-editor.org/rfc/rfc5321#section-4.2', 'https://www.rfc-editor.org/rfc/rfc4954#section-6', 'https://nodemailer.com/smtp/'],
  idempotency:
    'none at the SMTP level: a retry after a lost answer to DATA may deliver twice; each message carries the same Message-ID (<alert id@streamalert>), by which many mail clients show it once',
  async harness() {
    const relay = await LoopbackSmtpRelay.start({ tls: true, login: { user: USER, pass: PASSWORD } });
    // A context per output: a pooled connection already logged in would never meet a refused AUTH.
    const contexts: ReturnType<typeof contextFor>[] = [];
    return {
      secrets: [PASSWORD],
      async output(mode) {
        relay.mode = RELAY_MODES[mode];
        relay.messages.length = 0;
        const context = contextFor({ timeoutMs: mode === 'hang' ? HANG_TIMEOUT_MS : ANSWER_TIMEOUT_MS });
        contexts.push(context);
        const values = { host: '127.0.0.1', port: String(relay.port), security: 'starttls', verify_tls: 'false', username: USER, password: new Secret(PASSWORD), from: 'alerts@example.com', to: 'soc@example.com' };
        return createOutput('email', { descriptor: 'contract', values }, context);
      },
      async check(alert, publication) {
        expect(relay.messages).toHaveLength(1);
        const [message] = relay.messages;
        expect(message).toMatchObject({ from: 'alerts@example.com', to: ['soc@example.com'], user: USER, secure: true });
        const { headers, parts } = parseMail(message!.raw);
        expect(decodeHeader(headers.subject!)).toBe(`StreamAlert: ${alert.ruleName} (alert ${alert.id})`);
        expect(headers['message-id']).toBe(`<${alert.id}@streamalert>`);
        expect(parts[0]!.body).toContain(`Rule triggered: ${alert.ruleName}`);
        expect(parts[1]!.headers['content-disposition']).toContain(`alert-${alert.id}.json`);
        expect(JSON.parse(parts[1]!.body)).toEqual(JSON.parse(JSON.stringify(publication)));
      },
      async close() {
        await Promise.all([relay.close(), ...contexts.map((context) => context.close())]);
      },
    };
  },
};

export default contract;
