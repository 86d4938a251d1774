import { createHash } from 'node:crypto';
import type { SMTPPoolOptions } from 'nodemailer/lib/smtp-pool';
import type Mail from 'nodemailer/lib/mailer';
import type { Alert } from '../../alerts/alert.ts';
import { Deadline } from '../deadline.ts';
import { OutputBase, type Attempt, type Publication } from '../output.ts';
import { property } from '../property.ts';
import { verifyTlsProperty } from '../http/verify-tls.ts';
import { descriptorProperty, output } from '../registry.ts';
import { delivered, failed, type DispatchResult } from '../result.ts';
import { alertMail, EMAIL_LIMITS } from './message.ts';
import { classifySmtpError } from './smtp-result.ts';
import { checkAddresses, checkPort, SECURITY_CHOICES, smtpSettings, type SmtpSettings, type SmtpValues } from './smtp-settings.ts';

/** Connections one output's pool opens at most: alerts to one relay share them. */
const POOL_CONNECTIONS = 2;
/** How many refused recipients a delivered result names. */
const LISTED_REFUSALS = 5;

/**
 * E-mail through an SMTP relay (nodemailer): one message per alert to the `to` list, its
 * subject naming the rule and the alert id, its text the rule's description and the record,
 * the alert document attached as JSON (message.ts). STARTTLS is required by default; `tls` is
 * implicit TLS (port 465); `none` sends in clear, for a relay on this machine or a test relay.
 *
 * One pooled transport per output, kept in the context across the output's rebuilds and closed
 * with it. It makes one attempt per dispatch (no requeue of its own: the delivery engine retries)
 * within the context's timeout, and the attempt's signal aborts it by closing the connection.
 * https://nodemailer.com/smtp/ https://nodemailer.com/smtp/pooled/
 */
@output
export class EmailOutput extends OutputBase {
  static override readonly service = 'email';
  static override readonly displayName = 'E-mail (SMTP)';
  static override readonly properties = {
    descriptor: descriptorProperty('E-mail', 'soc-team, oncall, etc'),
    host: property('the SMTP relay host name (e.g. smtp.example.com)'),
    port: property('the SMTP port: 587 for starttls, 465 for tls, 25 for a local relay', { value: '587', check: checkPort }),
    security: property('how to secure the connection: starttls (required STARTTLS), tls (implicit TLS) or none (a relay on this machine only)', { value: 'starttls', choices: SECURITY_CHOICES }),
    username: property('the SMTP username (leave empty for a relay without login)', { optional: true, inputRestrictions: [' '] }),
    password: property('the SMTP password (leave empty for a relay without login)', { secret: true, optional: true, inputRestrictions: [] }),
    // Addresses may carry a display name ("SOC <soc@example.com>"): spaces are fine.
    from: property('the sender address (e.g. StreamAlert <alerts@example.com>)', { inputRestrictions: [], check: (value) => checkAddresses(value, 1) }),
    to: property('the recipient addresses, comma-separated (at most 50)', { inputRestrictions: [], check: (value) => checkAddresses(value) }),
    verify_tls: verifyTlsProperty('SMTP relay'),
  };
  static override readonly limits = {
    message: { max: EMAIL_LIMITS.messageBytes, unit: 'bytes', over: 'truncated' },
    source: 'https://docs.aws.amazon.com/ses/latest/dg/quotas.html',
  } as const;

  async dispatch(alert: Alert, publication: Publication, attempt: Attempt = {}): Promise<DispatchResult> {
    const settings = smtpSettings(this.values());
    if (typeof settings === 'string') return failed('config', `${this.name}: ${settings}`);
    const where = `${settings.host}:${settings.port}`;
    const transport = await this.transport(settings);
    const deadline = new Deadline(this.timeoutMs, 'request', attempt.signal);
    try {
      const info = await transport.sendMail({ ...alertMail(alert, publication, settings.from, settings.to), signal: deadline.signal });
      const refused = info.rejected ?? [];
      const note = refused.length > 0 ? ` (refused: ${refused.slice(0, LISTED_REFUSALS).join(', ')}${refused.length > LISTED_REFUSALS ? ', ...' : ''})` : '';
      return delivered(`${info.messageId}${note}`);
    } catch (error) {
      return this.redactResult(classifySmtpError(error, where, deadline.passed));
    } finally {
      deadline.clear();
    }
  }

  /** The context's per-request timeout bounds every SMTP wait: connecting, the greeting, each reply. */
  private get timeoutMs(): number {
    return this.context.http.timeoutMs;
  }

  private values(): SmtpValues {
    const names = ['host', 'port', 'security', 'username', 'password', 'from', 'to', 'verify_tls'] as const;
    return Object.fromEntries(names.map((name) => [name, this.setting(name)])) as SmtpValues;
  }

  /** This output's pooled transport, made again only when its settings change. */
  private async transport(settings: SmtpSettings): Promise<Mail> {
    const { createTransport } = await import('nodemailer');
    const options = this.poolOptions(settings);
    // A digest, so the kept fingerprint holds no password.
    const fingerprint = createHash('sha256').update(JSON.stringify(options)).digest('hex');
    return this.context.pools.get(this.name, fingerprint, () => createTransport(options), (transport) => transport.close());
  }

  private poolOptions(settings: SmtpSettings): SMTPPoolOptions & { pool: true } {
    const timeoutMs = this.timeoutMs;
    return {
      pool: true,
      maxConnections: POOL_CONNECTIONS,
      // One attempt per dispatch: a connection lost mid-send fails the send, and the engine decides.
      maxRequeues: 0,
      host: settings.host,
      port: settings.port,
      secure: settings.security === 'tls',
      requireTLS: settings.security === 'starttls',
      ignoreTLS: settings.security === 'none',
      tls: { rejectUnauthorized: settings.verifyTls },
      ...(settings.username !== '' && { auth: { user: settings.username, pass: settings.password } }),
      connectionTimeout: timeoutMs,
      greetingTimeout: timeoutMs,
      socketTimeout: timeoutMs,
      // Nothing in an alert may make nodemailer read a file or fetch a URL.
      disableFileAccess: true,
      disableUrlAccess: true,
      logger: false,
    };
  }
}
