import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** What the receiver saw of one request. */
export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
}

/** How the receiver answers one request: a response, a hang (never answers), a reset, or an answer of its own (a trickled or huge body). */
export type Scripted =
  | { status: number; headers?: Record<string, string>; body?: string | object }
  | 'hang'
  | 'reset'
  | ((response: ServerResponse) => void);

export type Responder = (request: ReceivedRequest) => Scripted;

/**
 * A real HTTP server on a free loopback port, standing in for a vendor's API. It records
 * every request and answers from a script (consumed in order) or from a responder function,
 * so tests check the wire format and play out failures: statuses, hangs, resets.
 */
export class LoopbackReceiver {
  readonly requests: ReceivedRequest[] = [];
  /** TCP connections accepted so far: shows whether the client keeps connections alive. */
  connectionCount = 0;
  #script: Scripted[] = [];
  #responder: Responder = () => ({ status: 200, body: 'ok' });
  #server: Server;
  #sockets = new Set<Socket>();

  private constructor(server: Server) {
    this.#server = server;
    server.on('connection', (socket) => {
      this.connectionCount += 1;
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
    });
    server.on('request', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const received: ReceivedRequest = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body, json: parseJson(body) };
        this.requests.push(received);
        const answer = this.#script.shift() ?? this.#responder(received);
        if (answer === 'hang') return;
        if (typeof answer === 'function') {
          answer(res);
          return;
        }
        if (answer === 'reset') {
          req.socket.destroy();
          return;
        }
        const payload = typeof answer.body === 'object' ? JSON.stringify(answer.body) : (answer.body ?? '');
        const headers = typeof answer.body === 'object' ? { 'content-type': 'application/json', ...answer.headers } : answer.headers;
        res.writeHead(answer.status, headers).end(payload);
      });
    });
  }

  static async start(): Promise<LoopbackReceiver> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new LoopbackReceiver(server);
  }

  /** Base URL, e.g. http://127.0.0.1:41234 */
  get url(): string {
    const { port } = this.#server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  /** Answers the next requests with these, in order, then falls back to the responder. */
  script(...answers: Scripted[]): this {
    this.#script.push(...answers);
    return this;
  }

  respond(responder: Responder): this {
    this.#responder = responder;
    return this;
  }

  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}
