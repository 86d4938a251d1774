import { TLS_CODES } from '../http/client.ts';
import { printable } from '../http/printable.ts';
import { failed, retry, type FailureReason, type Failed, type Retry } from '../result.ts';

/** What nodemailer's errors carry (its NodemailerError), read defensively: any error may come. */
interface SmtpError {
  code?: string;
  originalCode?: string;
  responseCode?: number;
  response?: string;
  command?: string;
  message?: string;
  cause?: unknown;
}

/**
 * Transient replies (RFC 5321 section 4.2.1, 4yz) by what they say. 421 ("service not
 * available, closing") is how relays say "too many connections or messages, slow down"
 * (Gmail's 421 4.7.0, Microsoft 365's 421 4.7.500), and 450 is greylisting's "try later":
 * both rate_limited. 451 and 452 are the server's own trouble (a local error, no storage).
 */
const TRANSIENT: Readonly<Record<number, FailureReason>> = {
  421: 'rate_limited',
  450: 'rate_limited',
  451: 'server_error',
  452: 'server_error',
};

/**
 * Permanent replies (5yz) we tell apart. 530 and 535 refuse the credentials (RFC 4954
 * section 6), 534 and 538 the mechanism or a clear-text login; 552 is a message over the
 * relay's size; 550, 551 and 553 to a recipient name one that does not exist.
 */
const PERMANENT: Readonly<Record<number, FailureReason>> = {
  530: 'auth',
  534: 'auth',
  535: 'auth',
  538: 'auth',
  552: 'too_large',
};
const UNKNOWN_RECIPIENT = new Set([550, 551, 553]);

/**
 * The result of a send that nodemailer failed, for the relay `where` (host:port). A reply code
 * decides when there is one: 4xx (and 503, a command out of sequence) retry, 5xx fail. Without
 * one, the error code does: a refused or broken connection and a timeout retry; a refused
 * certificate, a server without STARTTLS or a missing login fail as config. `deadline`: the
 * deadline that aborted the send, if one did.
 */
export function classifySmtpError(error: unknown, where: string, deadline: Error | undefined): Retry | Failed {
  const smtp = (typeof error === 'object' && error !== null ? error : {}) as SmtpError;
  if (deadline) return retry('timeout', `${where} ${deadline.message}`);
  const kind = smtp.code ?? '';
  const detail = printable(smtp.message ?? String(error));
  // Before the reply code: a relay that answers STARTTLS with 502 lacks it, which no retry mends.
  if (kind === 'ETLS' || kind === 'EREQUIRETLS') {
    return failed('config', `${where} could not secure the connection (${detail}); check the security setting (starttls, tls or none)`);
  }
  const code = smtp.responseCode;
  if (typeof code === 'number' && code >= 400) {
    const replied = `${where} answered ${smtp.command ? `${smtp.command} with ` : ''}${printable(smtp.response ?? String(code))}`;
    if (code < 500 || code === 503) return retry(TRANSIENT[code] ?? 'server_error', replied);
    if (UNKNOWN_RECIPIENT.has(code) && /^RCPT/i.test(smtp.command ?? '')) return failed('not_found', `${replied}; check the 'to' addresses`);
    return failed(PERMANENT[code] ?? 'client_error', replied);
  }
  if (isTlsRefusal(smtp)) {
    return failed('config', `${where} presented a TLS certificate that could not be verified (${detail}); fix the certificate, or set verify_tls to false for this output only if you trust the network path`);
  }
  switch (kind) {
    case 'ETIMEDOUT':
      return retry('timeout', `${where} did not answer in time (${detail})`);
    case 'EAUTH':
      return failed('auth', `${where} refused the login (${detail})`);
    case 'ENOAUTH':
      return failed('config', `${where} needs a login: set username and password`);
    case 'ECONFIG':
    case 'EENVELOPE':
      return failed('config', `${where}: ${detail}`);
    default:
      return retry('connection', `connection to ${where} failed (${smtp.originalCode ?? (kind || 'unknown error')}: ${detail})`);
  }
}

/** A certificate check that failed: nodemailer reports it as a socket or TLS error with the TLS code on the error or its cause. */
function isTlsRefusal(smtp: SmtpError): boolean {
  const codes = [smtp.code, smtp.originalCode, (smtp.cause as SmtpError | undefined)?.code];
  return codes.some((code) => code !== undefined && TLS_CODES.has(code)) || /self[- ]signed certificate|unable to verify the first certificate|certificate has expired|altnames/i.test(smtp.message ?? '');
}
