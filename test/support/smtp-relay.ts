import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer, type SMTPServerAuthentication, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';

/** One message the relay accepted: its envelope, the login that sent it, and the raw RFC 5322 text. */
export interface RelayedMessage {
  from: string;
  to: string[];
  user?: string;
  /** Whether the session was over TLS (STARTTLS or implicit) when the message came. */
  secure: boolean;
  raw: string;
}

/**
 * How the relay answers the next messages: accept; refuse with a reply `code` at a command
 * (`at`: the login, MAIL FROM, RCPT TO or the end of DATA); never answer DATA; or reset the
 * connection once the message has arrived.
 */
export type RelayMode = 'ok' | 'hang' | 'reset' | { code: number; message: string; at: 'auth' | 'mail' | 'rcpt' | 'data' };

export interface RelayOptions {
  /** Implicit TLS (port 465 style); otherwise plain, with STARTTLS offered when `tls` is set. */
  implicitTls?: boolean;
  /** Offer STARTTLS (or implicit TLS) with the self-signed test certificate. */
  tls?: boolean;
  /** The one login the relay takes; without it, the relay takes mail without login. */
  login?: { user: string; pass: string };
}

/**
 * A real SMTP server (the `smtp-server` package) on a free loopback port, standing in for a mail
 * relay: it records every accepted message and plays the failures a relay has (4xx, 5xx, a hang,
 * a reset). A refused login echoes the AUTH string the client sent, base64 as on the wire, as
 * careless servers do, so tests see that no credential survives into a result.
 */
export class LoopbackSmtpRelay {
  readonly messages: RelayedMessage[] = [];
  mode: RelayMode = 'ok';
  /** SMTP sessions opened so far: shows whether the client keeps its connections (a pool). */
  connectionCount = 0;
  readonly #server: SMTPServer;

  private constructor(server: SMTPServer) {
    this.#server = server;
  }

  static async start(options: RelayOptions = {}): Promise<LoopbackSmtpRelay> {
    let relay: LoopbackSmtpRelay | undefined;
    const refusal = (at: string) => {
      const mode = relay!.mode;
      return typeof mode === 'object' && mode.at === at ? Object.assign(new Error(mode.message), { responseCode: mode.code }) : undefined;
    };
    const certificate = options.tls || options.implicitTls ? testCertificate() : undefined;
    const server = new SMTPServer({
      logger: false,
      secure: options.implicitTls ?? false,
      ...(certificate ?? {}),
      ...(certificate ? {} : { disabledCommands: ['STARTTLS'] }),
      authOptional: !options.login,
      allowInsecureAuth: true,
      onAuth(auth: SMTPServerAuthentication, _session: SMTPServerSession, callback) {
        const echoed = Buffer.from(`\0${auth.username}\0${auth.password}`).toString('base64');
        const refused = refusal('auth');
        if (refused) return callback(Object.assign(refused, { message: `${refused.message} (AUTH PLAIN ${echoed})` }));
        if (options.login && auth.username === options.login.user && auth.password === options.login.pass) return callback(null, { user: auth.username });
        callback(Object.assign(new Error(`5.7.8 Authentication credentials invalid: AUTH PLAIN ${echoed}`), { responseCode: 535 }));
      },
      onConnect(_session, callback) {
        relay!.connectionCount += 1;
        callback();
      },
      onMailFrom(_address, _session, callback) {
        callback(refusal('mail'));
      },
      onRcptTo(address, _session, callback) {
        callback(/unknown/.test(address.address) ? Object.assign(new Error('5.1.1 no such user here'), { responseCode: 550 }) : refusal('rcpt'));
      },
      onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const mode = relay!.mode;
          if (mode === 'hang') return;
          if (mode === 'reset') {
            for (const connection of server.connections) (connection as unknown as { _socket: { destroy(): void } })._socket.destroy();
            return;
          }
          const refused = refusal('data');
          if (refused) return callback(refused);
          relay!.messages.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
            ...(typeof session.user === 'string' && { user: session.user }),
            secure: session.secure,
            raw: Buffer.concat(chunks).toString('utf8'),
          });
          callback(null);
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    relay = new LoopbackSmtpRelay(server);
    return relay;
  }

  /** SMTP sessions open now. */
  get openConnections(): number {
    return this.#server.connections.size;
  }

  get port(): number {
    return ((this.#server as unknown as { server: { address(): AddressInfo } }).server.address()).port;
  }

  async close(): Promise<void> {
    for (const connection of this.#server.connections) (connection as unknown as { _socket: { destroy(): void } })._socket.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}

let certificate: { key: string; cert: string } | undefined;

/** A self-signed certificate for 127.0.0.1 and localhost, made once per process with openssl. */
export function testCertificate(): { key: string; cert: string } {
  if (certificate) return certificate;
  const dir = mkdtempSync(join(tmpdir(), 'smtp-cert-'));
  const key = join(dir, 'key.pem');
  const cert = join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'], { stdio: 'ignore' });
  if (!existsSync(cert)) throw new Error('openssl made no test certificate');
  certificate = { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') };
  return certificate;
}

/** One part of a parsed message: its headers (lower-case names, unfolded) and its decoded body. */
export interface MailPart {
  headers: Record<string, string>;
  body: string;
}

/**
 * The top-level headers and the parts of a raw message nodemailer composed (multipart/mixed of
 * a text part and attachments, or a single part), bodies decoded from base64 or
 * quoted-printable: enough to check what a recipient would read.
 */
export function parseMail(raw: string): { headers: Record<string, string>; parts: MailPart[] } {
  const top = splitPart(raw);
  const boundary = /boundary="?([^";]+)"?/i.exec(top.headers['content-type'] ?? '')?.[1];
  if (!boundary) return { headers: top.headers, parts: [decodePart(top)] };
  const sections = top.rawBody.split(`--${boundary}`).slice(1, -1);
  return { headers: top.headers, parts: sections.map((section) => decodePart(splitPart(section.replace(/^\r\n/, '')))) };
}

function splitPart(text: string): { headers: Record<string, string>; rawBody: string } {
  const end = text.indexOf('\r\n\r\n');
  const head = text.slice(0, end).replace(/\r\n[ \t]+/g, ' ');
  const headers: Record<string, string> = {};
  for (const line of head.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { headers, rawBody: text.slice(end + 4) };
}

function decodePart(part: { headers: Record<string, string>; rawBody: string }): MailPart {
  const encoding = (part.headers['content-transfer-encoding'] ?? '7bit').toLowerCase();
  let body = part.rawBody.replace(/\r\n$/, '');
  if (encoding === 'base64') body = Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  else if (encoding === 'quoted-printable') {
    const bytes = body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    body = Buffer.from(bytes, 'latin1').toString('utf8');
  }
  return { headers: part.headers, body: body.replace(/\r\n/g, '\n') };
}

/** A header's encoded words (RFC 2047, as nodemailer writes them: =?UTF-8?Q?...?= or ?B?) decoded. */
export function decodeHeader(value: string): string {
  return value.replace(/=\?UTF-8\?([QB])\?([^?]*)\?=\s*/gi, (_, kind: string, text: string) =>
    kind.toUpperCase() === 'B'
      ? Buffer.from(text, 'base64').toString('utf8')
      : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (__, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1').toString('utf8'),
  );
}
