import { setImmediate as afterIo } from 'node:timers/promises';
import type { Alert } from '../alerts/alert.ts';
import { reveal, type Secret } from '../secrets/secret.ts';
import type { HttpClient } from './http/client.ts';
import type { AwsClients } from '../aws/clients.ts';
import type { PooledClients } from './pooled-clients.ts';
import type { OutputProperties } from './property.ts';
import { RATE_SETTING, type RateLimit, type ServiceLimits } from './limits.ts';
import { retry, type DispatchResult } from './result.ts';
import { Deadline } from './deadline.ts';
import { serverText } from './http/redact.ts';

/** The longest result message or reference kept (in the alert store, a summary, a log line). */
const MAX_RESULT_CHARS = 1_000;

/** What an output is given to talk to the world: shared, long-lived, pooled. */
export interface OutputContext {
  readonly http: HttpClient;
  readonly aws: AwsClients;
  /** The project folder, against which relative paths in settings resolve. */
  readonly projectDir: string;
  /** Clients an output keeps across its rebuilds (an SMTP pool), closed with the context. */
  readonly pools: PooledClients;
  /** Earlier deliveries' references, where the alert store is at hand (delivery; not `output test`). */
  readonly deliveries?: DeliveryReferences;
}

/** What an output may read of earlier deliveries: to reply in the thread an earlier message opened. */
export interface DeliveryReferences {
  /** The reference `output` (`service:descriptor`) gave when it delivered alert `alertId` (a Slack message's channel and ts), if it did. */
  deliveredReference(alertId: string, output: string): Promise<string | undefined>;
}

/** One configured output: its descriptor and the values of its properties (secrets as Secret). */
export interface OutputSettings {
  readonly descriptor: string;
  readonly values: Readonly<Record<string, string | Secret | undefined>>;
}

/** The document an output sends: the StreamAlert alert document, after any publishers. */
export type Publication = Readonly<Record<string, unknown>>;

/**
 * What one attempt is given besides the alert. `signal` aborts when the attempt's deadline
 * passes (delivery/policy.ts, attemptDeadlineMs): pass it to every request the attempt makes
 * (`http.send({ signal })`, `aws.call(send, signal)`), so that none outlives the attempt.
 */
export interface Attempt {
  readonly signal?: AbortSignal;
}

/**
 * The base of every output service (the seed's StreamOutputBase). A service is one subclass:
 * a `service` id, a `displayName`, its `properties` (descriptor first) and `dispatch`, decorated
 * with `@output` to register it.
 *
 * `dispatch` makes one attempt and says how it went, within the attempt's deadline. It never
 * sleeps, loops or throws for an expected failure: the delivery engine owns retries.
 *
 * @example
 *   @output
 *   export class AcmeTicketsOutput extends OutputBase {
 *     static override readonly service = 'acme-tickets';
 *     static override readonly displayName = 'Acme Tickets';
 *     static override readonly properties = {
 *       descriptor: descriptorProperty('Acme Tickets', 'queue, team, etc'),
 *       token: property('the Acme Tickets API token', { secret: true }),
 *     };
 *     static override readonly limits = { message: { max: 65_536, unit: 'characters', over: 'truncated' } } as const;
 *     async dispatch(alert: Alert, publication: Publication, attempt: Attempt = {}): Promise<DispatchResult> { ... }
 *   }
 *
 * (One JSON request per alert? Extend JsonWebhookOutput instead: docs/adding-a-service.md.)
 */
export abstract class OutputBase {
  static readonly service: string = '';
  static readonly displayName: string = '';
  static readonly properties: OutputProperties = {};
  /** The vendor's documented limits: message size, what happens over it, the rate (limits.ts). */
  static readonly limits: ServiceLimits = {};

  readonly descriptor: string;
  protected readonly context: OutputContext;
  readonly #values: OutputSettings['values'];

  constructor(settings: OutputSettings, context: OutputContext) {
    this.descriptor = settings.descriptor;
    this.#values = settings.values;
    this.context = context;
  }

  /** `service:descriptor`, the name rules use. */
  get name(): string {
    return `${(this.constructor as typeof OutputBase).service}:${this.descriptor}`;
  }

  abstract dispatch(alert: Alert, publication: Publication, attempt?: Attempt): Promise<DispatchResult>;

  /**
   * One attempt as the delivery engine makes it: `dispatch`, ended as a `timeout` when
   * `deadlineMs` pass even if the output ignores its signal (what it does later is never
   * recorded, so no attempt outlives its lease), and its result redacted (`redactResult`).
   *
   * @example
   *   const result = await output.attempt(alert, publication, attemptDeadlineMs(policy));
   */
  async attempt(alert: Alert, publication: Publication, deadlineMs?: number): Promise<DispatchResult> {
    if (deadlineMs === undefined) return this.redactResult(await this.dispatch(alert, publication));
    const deadline = new Deadline(deadlineMs, 'attempt');
    // Deadlines ending together share a signal: the listener goes when the attempt does.
    let timedOut!: () => void;
    const timeout = new Promise<DispatchResult>((resolve) => (timedOut = () => resolve(this.#timeoutResult(deadline))));
    deadline.signal.addEventListener('abort', timedOut, { once: true });
    try {
      return this.redactResult(await Promise.race([this.dispatch(alert, publication, { signal: deadline.signal }), timeout]));
    } finally {
      deadline.signal.removeEventListener('abort', timedOut);
      deadline.clear();
    }
  }

  /**
   * The rate the delivery engine keeps to for this output: the user's `ratePerSecond` from
   * conf/output_settings.json (`"0"` for none), else the service's declared `limits.rate`.
   */
  get rateLimit(): RateLimit | undefined {
    const declared = (this.constructor as typeof OutputBase).limits.rate;
    const setting = this.#values[RATE_SETTING];
    if (typeof setting !== 'string') return declared;
    const perSecond = Number(setting);
    if (perSecond === 0) return undefined;
    return { perSecond, burst: declared?.burst ?? Math.max(1, Math.ceil(perSecond)) };
  }

  /** The plain value of a property, or its declared default. Reveal secrets only at use. */
  protected setting(name: string): string {
    const value = this.#values[name];
    if (value !== undefined && reveal(value) !== '') return reveal(value);
    return (this.constructor as typeof OutputBase).properties[name]?.value ?? '';
  }

  /**
   * `text` fit to keep: every credential value of this output, in any encoding a server may
   * echo it in, replaced by [secret]; control characters removed; at most 1,000 characters.
   */
  redact(text: string): string {
    return serverText(text, this.secretValues(), { maxChars: MAX_RESULT_CHARS });
  }

  /** `result` with its message (or reference) redacted: every attempt's result passes here before it is stored. */
  redactResult(result: DispatchResult): DispatchResult {
    if (result.kind !== 'delivered') return { ...result, message: this.redact(result.message) };
    return result.reference === undefined ? result : { ...result, reference: this.redact(result.reference) };
  }

  /** A `timeout` for the deadline that passed; after pending I/O callbacks, so an output that honours its signal answers in its own words. */
  async #timeoutResult(deadline: Deadline): Promise<DispatchResult> {
    await afterIo();
    return retry('timeout', `${this.name} ${deadline.passed?.message ?? 'ran past its deadline'}`);
  }

  /** The plain values of every credential property, to scrub from messages. */
  protected secretValues(): string[] {
    const properties = (this.constructor as typeof OutputBase).properties;
    return Object.keys(properties)
      .filter((name) => properties[name]?.credRequirement)
      .map((name) => this.setting(name))
      .filter((value) => value !== '');
  }
}
