// The parts of zod this package uses (see zod.ts).
export { array, boolean, config, enum, globalRegistry, iso, literal, number, object, record, safeParse, strictObject, string, union, unknown } from 'zod';
export type { infer, input, output, ZodNumber, ZodType } from 'zod';
export type * as core from 'zod/v4/core';
