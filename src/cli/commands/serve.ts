import type { AddressInfo } from 'node:net';
import type { Command } from 'commander';
import { detectionFor, strictOption } from '../detection.ts';
import { CliError } from '../errors.ts';
import { projectOf } from '../project.ts';

/** How long serve waits for its outputs to be built before it listens anyway (they go on building). */
const WARM_LIMIT_MS = 5_000;

/**
 * `streamalert serve`: records over HTTP -> rules -> alert store, and the delivery loop. Beyond
 * loopback it starts only once a token exists; logs (JSON lines, or readable at a terminal) go
 * to standard error.
 */
export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('accept records over HTTP (POST /v1/records?log_type=T), store the alerts, deliver them continuously')
    .option('--port <port>', 'TCP port (0 picks a free one)', '8080')
    .option('--host <host>', 'address to listen on; the default accepts local clients only; any other needs a token (streamalert token create)', '127.0.0.1')
    .addOption(strictOption())
    .addHelpText(
      'after',
      `
Examples:
  $ streamalert serve --port 8080
  $ curl -X POST --data-binary @samples/duo.ndjson 'http://127.0.0.1:8080/v1/records?log_type=duo'
  $ TOKEN=$(streamalert token create --name ingest) && streamalert serve --host 0.0.0.0
  $ curl -H "Authorization: Bearer $TOKEN" http://127.0.0.1:8080/metrics`,
    )
    .action(async (options: { port: string; host: string; strict?: boolean }, command: Command) => {
      const port = Number(options.port);
      if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new CliError(`--port takes a port number (got '${options.port}')`);
      const project = projectOf(command);
      const [{ createLogger, logDeliveries }, { ServeMetrics }, { isLoopback }, { createRecordServer }, { ServeTokens }, { openDeliverySession }, { ConsoleSessions }] = await Promise.all([
        import('../../observability/log.ts'),
        import('../../observability/metrics.ts'),
        import('../../serve/auth.ts'),
        import('../../serve/server.ts'),
        import('../../serve/tokens.ts'),
        import('../../delivery/session.ts'),
        import('../../serve/console/sessions.ts'),
      ]);
      const tokens = new ServeTokens(project.dir);
      const local = isLoopback(options.host);
      if (!local && !tokens.any()) {
        throw new CliError(
          `--host ${options.host} lets other machines in, and no token exists to tell who they are: create one first ` +
            `('streamalert token create --name NAME'), then clients send 'Authorization: Bearer <token>'`,
        );
      }
      const log = createLogger();
      const detection = await detectionFor(project, options);
      const session = await openDeliverySession(project, { log });
      const metrics = new ServeMetrics(session.store);
      session.engine.listen(metrics.onDelivery);
      session.engine.listen(logDeliveries(log));
      const server = createRecordServer({
        pipeline: { ...detection, outputs: project.outputs },
        store: session.store,
        engine: session.engine,
        metrics,
        log,
        config: project.global.serve,
        input: project.global.input,
        tokens,
        tokenAlwaysRequired: !local,
        console: {
          store: session.store,
          engine: session.engine,
          project,
          rules: detection.rules,
          tokens,
          sessions: new ConsoleSessions(),
          degradedPendingMs: project.global.serve.degradedPendingMs,
          log,
        },
      });
      // The first alerts are delivered as fast as the later ones: the outputs are built before serve listens.
      await session.warm(WARM_LIMIT_MS);
      const stop = new AbortController();
      const delivering = session.engine.deliverUntil(stop.signal);

      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, options.host, resolve);
      }).catch(async (error: NodeJS.ErrnoException) => {
        stop.abort();
        await delivering;
        await session.close();
        throw new CliError(`cannot listen on ${options.host}:${port} (${error.code ?? error.message})`);
      });
      const { address, port: actual } = server.address() as AddressInfo;
      console.log(`streamalert serve: listening on http://${address}:${actual} (POST /v1/records, GET /metrics, GET /healthz; the console at /); Ctrl-C to stop`);
      log.info({ address, port: actual, tokens: tokens.list().length }, 'serve started');
      if (local && !tokens.any()) {
        log.warn("the API is unauthenticated: no token exists, so any local client may post records. 'streamalert token create --name NAME' makes one; from then on every route but /healthz needs it");
      }

      // Stop accepting, let deliveries in flight finish; what is pending stays stored.
      await new Promise<void>((resolve) => {
        const shutdown = () => resolve();
        process.once('SIGINT', shutdown);
        process.once('SIGTERM', shutdown);
      });
      console.log('streamalert serve: stopping; pending deliveries stay stored for the next run');
      log.info('serve stopping');
      stop.abort();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await delivering;
      await session.close();
      log.info('serve stopped');
    });
}
