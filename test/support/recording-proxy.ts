import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One exchange the proxy passed on: what the client sent and what the real service answered. */
export interface ProxiedExchange {
  method: string;
  /** Path and query as sent, still percent-encoded. */
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  status: number;
  responseHeaders: IncomingHttpHeaders;
}

/**
 * A transparent HTTP proxy on a free loopback port that records each exchange and passes it to
 * a real service (moto). Tests see the wire request an output made and the real service's
 * answer to it, where the service itself keeps no record (moto's Lambda without Docker).
 */
export class RecordingProxy {
  readonly exchanges: ProxiedExchange[] = [];
  readonly #server: Server;

  private constructor(server: Server, target: URL) {
    this.#server = server;
    server.on('request', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        const upstream = request(
          { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
          (answer) => {
            const answerChunks: Buffer[] = [];
            answer.on('data', (chunk: Buffer) => answerChunks.push(chunk));
            answer.on('end', () => {
              const status = answer.statusCode ?? 502;
              this.exchanges.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body, status, responseHeaders: answer.headers });
              res.writeHead(status, answer.headers).end(Buffer.concat(answerChunks));
            });
          },
        );
        upstream.on('error', () => res.writeHead(502).end());
        upstream.end(body);
      });
    });
  }

  /** Starts a proxy in front of `target`, e.g. moto's endpoint. */
  static async start(target: string): Promise<RecordingProxy> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new RecordingProxy(server, new URL(target));
  }

  get url(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
