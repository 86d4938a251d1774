import type { IncomingMessage } from 'node:http';
import { requestBody } from '../body.ts';
import { RequestError } from '../errors.ts';

/** A console form is a few short fields: anything larger is no form of ours. */
const MAX_FORM_BYTES = 16 * 1024;

/** The fields of a posted form (application/x-www-form-urlencoded), bounded. */
export async function readForm(request: IncomingMessage): Promise<URLSearchParams> {
  const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') throw new RequestError(415, 'the console takes forms (application/x-www-form-urlencoded)');
  const chunks: Buffer[] = [];
  for await (const chunk of requestBody(request, MAX_FORM_BYTES)) chunks.push(chunk);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/**
 * `text` when it is a path on this server (where a form may send the browser back), else
 * undefined: never another origin (`//evil`, `/\evil`, a scheme).
 *
 * @example
 *   localPath('/alerts?rule=x')     // '/alerts?rule=x'
 *   localPath('//evil.example/')    // undefined
 */
export function localPath(text: string | null | undefined): string | undefined {
  if (!text || text.length > 2_000 || !text.startsWith('/') || text.startsWith('//') || /[\\\x00-\x20\x7f]/.test(text)) return undefined;
  return text;
}
