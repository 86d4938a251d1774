import { appendFile, mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Alert } from '../../alerts/alert.ts';
import { OutputBase, type Publication } from '../output.ts';
import { property } from '../property.ts';
import { descriptorProperty, output } from '../registry.ts';
import { delivered, failed, retry, type DispatchResult } from '../result.ts';

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

  async dispatch(_alert: Alert, publication: Publication): Promise<DispatchResult> {
    const path = resolve(this.context.projectDir, this.setting('path'));
    const line = `${JSON.stringify(publication)}\n`;
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
