import { appendFile, mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Alert } from '../../alerts/alert.ts';
import { OutputBase, type Publication } from '../output.ts';
import { property } from '../property.ts';
import { descriptorProperty, output } from '../registry.ts';
import { delivered, failed, retry, type DispatchResult } from '../result.ts';

/**
 * The longest line appended, newline included: 10 MiB, the default `message_max_bytes` of
 * Filebeat, so that a shipper tailing the file takes every line whole (it cuts longer ones).
 */
export const FILE_LINE_MAX_BYTES = 10 * 1024 * 1024;

/** File-system errors that a later attempt may not meet (a full disk, a busy volume). */
const TRANSIENT_CODES = new Set(['ENOSPC', 'EAGAIN', 'EBUSY', 'EMFILE', 'ENFILE', 'EIO']);

/**
 * Appends each alert document as one JSON line to a local file: an audit trail on one
 * machine, or a file a log shipper tails. The file is created with mode 0600 (alerts hold
 * log records). Each alert is one append of one line, so lines never interleave; a retry
 * after an unclear failure may append the same alert twice, so readers should key on `id`.
 */
@output
export class FileOutput extends OutputBase {
  static override readonly service = 'file';
  static override readonly displayName = 'local file';
  static override readonly properties = {
    descriptor: descriptorProperty('local file', 'audit, archive'),
    path: property('the path of the JSON Lines file to append alerts to (relative paths start at the project folder)', {
      inputRestrictions: [':'],
    }),
  };
  static override readonly limits = {
    // A local file has no vendor limit; ours is the line a log shipper takes whole. Over it the
    // alert fails unsent: a cut JSON line would not parse.
    message: { max: FILE_LINE_MAX_BYTES, unit: 'bytes', over: 'failed' },
    source: 'https://www.elastic.co/docs/reference/beats/filebeat/filebeat-input-filestream',
  } as const;

  async dispatch(_alert: Alert, publication: Publication): Promise<DispatchResult> {
    const path = resolve(this.context.projectDir, this.setting('path'));
    const line = `${JSON.stringify(publication)}\n`;
    const bytes = Buffer.byteLength(line);
    if (bytes > FILE_LINE_MAX_BYTES) {
      return failed('too_large', `the alert document is ${bytes.toLocaleString('en-US')} bytes, over the ${FILE_LINE_MAX_BYTES.toLocaleString('en-US')}-byte (10 MiB) line limit of the file output; trim the record with a publisher`);
    }
    try {
      await appendFile(path, line, { mode: 0o600 }).catch(async (error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
        // First alert to a new location: create its folder (private: alerts hold log records).
        await mkdir(dirname(path), { recursive: true, mode: 0o700 });
        await appendFile(path, line, { mode: 0o600 });
      });
      return delivered(path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
      if (TRANSIENT_CODES.has(code)) return retry('server_error', `could not append to ${path} (${code})`);
      if (code === 'EACCES' || code === 'EPERM') return failed('auth', `no permission to write ${path} (${code})`);
      return failed('config', `could not append to ${path} (${code})`);
    }
  }
}
