import { Readable } from 'node:stream';
import { alertSource } from '../../pipeline/source.ts';
import type { BatchItem } from './batch-item.ts';

/** A direct invocation, `{ "log_type": "cloudtrail", "records": [...] }`: source `lambda` and the function. */
export interface DirectInvocation {
  log_type?: string;
  records: unknown[];
}

export function isDirectInvocation(event: unknown): event is DirectInvocation {
  return Array.isArray((event as { records?: unknown } | null)?.records);
}

export function directItems(event: DirectInvocation): BatchItem[] {
  const source = alertSource('lambda', process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'direct invocation');
  const name = 'the records of a direct invocation';
  // Nothing names a direct invocation's records: a call made twice raises its alerts twice.
  return [{ name, inputs: () => [{ source, name, open: async () => Readable.from([event.records.map((record) => JSON.stringify(record)).join('\n')]), identity: () => undefined }] }];
}
