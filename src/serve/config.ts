import { z } from '../config/zod.ts';

/**
 * `serve` in conf/global.json: the limits that make `streamalert serve` safe to expose, and
 * when /healthz turns `degraded`. Every key optional.
 *
 * @example
 *   ServeConfigSchema.parse({ maxBodyBytes: 1_048_576 })  // the other keys take their defaults
 */
export const ServeConfigSchema = z
  .object({
    /** A request body larger than this (received, or once gunzipped) is refused with 413. */
    maxBodyBytes: z.number().int().min(1).default(10 * 1024 * 1024),
    /** Requests handled at once (/healthz aside); one more is answered 503 with Retry-After. */
    maxConcurrentRequests: z.number().int().min(1).max(10_000).default(64),
    /** A client must have sent its whole request within this (slowloris); then it is cut off. */
    requestTimeoutMs: z.number().int().min(100).default(60_000),
    /** A delivery pending longer than this makes /healthz `degraded`. */
    degradedPendingMs: z.number().int().min(1).default(15 * 60 * 1000),
  })
  .strict();
export type ServeConfig = z.infer<typeof ServeConfigSchema>;
