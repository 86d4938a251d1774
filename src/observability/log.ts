import { pino, type DestinationStream, type Level, type Logger } from 'pino';
import type { DeliveryListener, Outcome } from '../delivery/events.ts';

export type { Logger } from 'pino';

export interface LoggerOptions {
  /** Where the lines go; default standard error (standard output stays for what the user asked for). */
  readonly destination?: NodeJS.WritableStream & { isTTY?: boolean };
  /** Readable lines rather than JSON; default: when the destination is a terminal. */
  readonly readable?: boolean;
}

/**
 * The process's logger: one JSON object per line (level as a word, ISO time) for log
 * collectors, or, at a terminal, the same events as readable lines.
 *
 * @example
 *   const log = createLogger();
 *   log.info({ port: 8080 }, 'serve started');
 *   // {"level":"info","time":"2024-05-14T09:12:44.000Z","port":8080,"msg":"serve started"}
 */
export function createLogger({ destination = process.stderr, readable = destination.isTTY === true }: LoggerOptions = {}): Logger {
  return pino(
    { base: undefined, timestamp: pino.stdTimeFunctions.isoTime, formatters: { level: (label) => ({ level: label }) } },
    readable ? readableLines(destination) : destination,
  );
}

/** How loud each delivery outcome is: a retry is worth a look, a dead letter needs someone. */
const OUTCOME_LEVELS = { delivered: 'info', retrying: 'warn', 'dead-lettered': 'error' } as const satisfies Record<Outcome, Level>;

/**
 * A delivery engine listener that logs one event per attempt: the output, alert and rule,
 * the attempt number and its duration, and for a failure the reason and when it is retried.
 *
 * @example
 *   engine.listen(logDeliveries(log));
 *   // {"level":"warn",...,"output":"slack:sec-alerts","alert_id":"...","rule":"duo_fraud","attempt":1,
 *   //  "duration_ms":12,"reason":"server_error","problem":"HTTP 503","retry_at":"...","msg":"delivery retrying"}
 */
export function logDeliveries(log: Logger): DeliveryListener {
  return ({ output, alertId, rule, attempt, durationMs, outcome, result, retryAt }) => {
    log[OUTCOME_LEVELS[outcome]](
      {
        output,
        alert_id: alertId,
        rule,
        attempt,
        duration_ms: Math.round(durationMs),
        ...(result.kind === 'delivered' ? result.reference !== undefined && { reference: result.reference } : { reason: result.reason, problem: result.message }),
        ...(retryAt !== undefined && { retry_at: new Date(retryAt).toISOString() }),
      },
      `delivery ${outcome}`,
    );
  };
}

/** Rewrites each JSON line as `time LEVEL message key=value ...`, for people at a terminal. */
function readableLines(destination: NodeJS.WritableStream): DestinationStream {
  return {
    write(line: string) {
      const { time, level, msg, ...fields } = JSON.parse(line) as Record<string, unknown>;
      const details = Object.entries(fields).map(([key, value]) => ` ${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
      destination.write(`${String(time)} ${String(level).toUpperCase().padEnd(5)} ${String(msg)}${details.join('')}\n`);
    },
  };
}
