import { z } from '../config/zod.ts';

const MiB = 1024 * 1024;

/**
 * `input` in conf/global.json: how much one record, and one gzip input once inflated, may be.
 * Every key optional. The reasons for the defaults are in docs/schemas.md (Limits).
 *
 * @example
 *   InputConfigSchema.parse({ maxRecordBytes: 262_144 })  // maxInflatedBytes takes its default
 */
export const InputConfigSchema = z
  .object({
    /**
     * A record larger than this (an NDJSON line, an array element, a JSON object) is rejected
     * with its position and reading goes on. At most 256 MiB: one record is held as one string,
     * and a JavaScript string cannot be much longer.
     */
    maxRecordBytes: z.number().int().min(1024).max(256 * MiB).default(MiB),
    /** A gzip input that inflates to more than this is read no further: an error, after the records before that point. */
    maxInflatedBytes: z.number().int().min(1).default(1024 * MiB),
  })
  .strict();
export type InputConfig = z.infer<typeof InputConfigSchema>;
