import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Alert } from '../alerts/alert.ts';
import { ConfigError } from '../config/errors.ts';
import type { DeliveryEngine } from '../delivery/engine.ts';
import { readRecordBatches } from '../input/reader.ts';
import { Pipeline, type PipelineParts } from '../pipeline/pipeline.ts';
import type { AlertStore } from '../store/alert-store.ts';

export interface RecordServerParts {
  /** Schemas, rules and outputs, loaded once; each request gets its own counters. */
  pipeline: PipelineParts;
  store: AlertStore;
  engine: DeliveryEngine;
}

/**
 * The HTTP front of `streamalert serve`:
 * - `POST /v1/records[?log_type=T]`: a JSON array or NDJSON body, streamed through the
 *   classifier and rules; answers 202 with the counts once every alert is stored (so a 202
 *   means nothing can be lost), then the engine delivers.
 * - `GET /healthz`: 200 with the number of pending deliveries.
 */
export function createRecordServer({ pipeline, store, engine }: RecordServerParts): Server {
  return createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      const status = error instanceof ConfigError ? 400 : 500;
      if (!response.headersSent) reply(response, status, { error: error instanceof Error ? error.message : String(error) });
      else response.destroy();
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://streamalert');
    if (url.pathname === '/healthz') {
      if (request.method !== 'GET') return reply(response, 405, { error: 'use GET' });
      const pending = Object.values(await store.pendingByOutput()).reduce((sum, n) => sum + n, 0);
      return reply(response, 200, { status: 'ok', pending });
    }
    if (url.pathname !== '/v1/records') return reply(response, 404, { error: 'not found: POST /v1/records or GET /healthz' });
    if (request.method !== 'POST') return reply(response, 405, { error: 'use POST' });

    const logType = url.searchParams.get('log_type') ?? undefined;
    // Throws a ConfigError (400) for a log type with no schema, before the body is read.
    const run = new Pipeline({ ...pipeline, ...(logType === undefined ? {} : { logType }) });
    for await (const batch of readRecordBatches(request)) {
      const alerts: Alert[] = [];
      for (const item of batch) alerts.push(...run.processInput(item));
      if (alerts.length > 0) await store.save(alerts);
    }
    void engine.pump();
    const { read, records, classified, unclassified, alerts } = run.stats;
    reply(response, 202, { read, records, classified, unclassified, alerts, unclassified_reasons: run.stats.unclassifiedByReason });
  }
}

function reply(response: ServerResponse, status: number, body: object): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(`${JSON.stringify(body)}\n`);
}
