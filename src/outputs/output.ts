import type { Alert } from '../alerts/alert.ts';
import { reveal, type Secret } from '../secrets/secret.ts';
import type { HttpClient } from './http/client.ts';
import type { AwsClients } from './aws/clients.ts';
import type { OutputProperties } from './property.ts';
import type { DispatchResult } from './result.ts';
import { scrub } from './http/redact.ts';

/** What an output is given to talk to the world: shared, long-lived, pooled. */
export interface OutputContext {
  readonly http: HttpClient;
  readonly aws: AwsClients;
  /** The project folder, against which relative paths in settings resolve. */
  readonly projectDir: string;
}

/** One configured output: its descriptor and the values of its properties (secrets as Secret). */
export interface OutputSettings {
  readonly descriptor: string;
  readonly values: Readonly<Record<string, string | Secret | undefined>>;
}

/** The document an output sends: the StreamAlert alert document, after any publishers. */
export type Publication = Readonly<Record<string, unknown>>;

/**
 * The base of every output service (the seed's StreamOutputBase). A service is one subclass:
 * a `service` id, a `displayName`, its `properties` (descriptor first) and `dispatch`, decorated
 * with `@output` to register it.
 *
 * `dispatch` makes one attempt and says how it went. It never sleeps, loops or throws for an
 * expected failure: the delivery engine owns retries.
 *
 * @example
 *   @output
 *   export class Teams extends OutputBase {
 *     static override readonly service = 'teams';
 *     static override readonly displayName = 'Microsoft Teams';
 *     static override readonly properties = {
 *       descriptor: descriptorProperty('Microsoft Teams', 'channel, team, etc'),
 *       url: property('the Teams workflow webhook url', { secret: true }),
 *     };
 *     async dispatch(alert: Alert, publication: Publication): Promise<DispatchResult> { ... }
 *   }
 */
export abstract class OutputBase {
  static readonly service: string = '';
  static readonly displayName: string = '';
  static readonly properties: OutputProperties = {};

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

  abstract dispatch(alert: Alert, publication: Publication): Promise<DispatchResult>;

  /** The plain value of a property, or its declared default. Reveal secrets only at use. */
  protected setting(name: string): string {
    const value = this.#values[name];
    if (value !== undefined && reveal(value) !== '') return reveal(value);
    return (this.constructor as typeof OutputBase).properties[name]?.value ?? '';
  }

  /** `text` with every credential value of this output replaced by [secret]. */
  redact(text: string): string {
    return scrub(text, this.secretValues());
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
