import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A real HTTPS server on loopback with a throwaway self-signed certificate (made with openssl at
 * test time), answering every request with `answer`: for outputs' `verify_tls`.
 *
 * @example
 *   const server = await SelfSignedServer.start({ status: 200, body: { code: 0 } });
 *   // server.url is https://127.0.0.1:<port>; server.received counts the requests served
 */
export class SelfSignedServer {
  received = 0;
  readonly #server: Server;
  readonly #dir: string;

  private constructor(server: Server, dir: string) {
    this.#server = server;
    this.#dir = dir;
  }

  static async start(answer: { status: number; body: object }): Promise<SelfSignedServer> {
    const dir = mkdtempSync(join(tmpdir(), 'streamalert-tls-'));
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
      '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
    ], { stdio: 'ignore' });
    let self: SelfSignedServer | undefined;
    const server = createServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (req, res) => {
      self!.received += 1;
      req.resume().on('end', () => res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body)));
    });
    self = new SelfSignedServer(server, dir);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return self;
  }

  get url(): string {
    return `https://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
    rmSync(this.#dir, { recursive: true, force: true });
  }
}
