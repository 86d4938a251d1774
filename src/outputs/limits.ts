/**
 * What a service's vendor documents as its limits, declared on the output class (`limits`) so
 * that the output, its docs page and the delivery engine's rate limit all read one place.
 */
export interface ServiceLimits {
  /**
   * The largest message the vendor accepts, and what the output does with an alert over it:
   * `truncated` (cut, saying how much was left out), `split` (sent as several) or `failed`
   * (failed as too_large, never sent).
   */
  readonly message?: { readonly max: number; readonly unit: 'bytes' | 'characters'; readonly over: 'truncated' | 'split' | 'failed' };
  /**
   * Sends per second one configured output may make, sustained, and the burst it may make at
   * once (a token bucket). Deliveries over it wait in the alert store, due when a token is.
   * A user's `rateLimit` in conf/output_settings.json overrides it.
   */
  readonly rate?: RateLimit;
  /** Where the vendor documents these limits. */
  readonly source?: string;
}

export interface RateLimit {
  readonly perSecond: number;
  readonly burst: number;
}

/** The per-output setting (conf/output_settings.json) that overrides a service's declared rate. */
export const RATE_SETTING = 'ratePerSecond';
