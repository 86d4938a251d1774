import { closeSync, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { open } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import type { FileTableConfig } from '../config.ts';
import { decodeTable, formatBytes, MiB, tooLarge, type TableRows } from '../decode.ts';
import { TableDataError } from '../errors.ts';
import type { TableDriver } from './driver.ts';

/**
 * Ours: a JSON file in the project (`"driver": "file", "path": "lookup_tables/x.json"`), for
 * embedded use without AWS. Re-read only when its modification time or size changed.
 *
 * @example
 *   new FileTableDriver('/srv/secops', { driver: 'file', path: 'lookup_tables/browsers.json', ... }).loadSync()
 */
export class FileTableDriver implements TableDriver {
  readonly source: string;
  readonly #path: string;
  readonly #config: FileTableConfig;
  /** mtime and size of what was last read. */
  #stamp: string | undefined;

  constructor(projectDir: string, config: FileTableConfig) {
    this.source = config.path;
    this.#config = config;
    this.#path = resolve(projectDir, config.path);
    const inside = relative(projectDir, this.#path);
    if (inside.startsWith('..') || isAbsolute(inside)) throw new TableDataError(`${config.path} is outside the project folder; a file table's path is relative to the project, inside it`);
  }

  loadSync(): TableRows | undefined {
    let fd: number;
    try {
      fd = openSync(this.#path, 'r');
    } catch (error) {
      throw this.#unreadable(error);
    }
    try {
      const stats = fstatSync(fd);
      if (!this.#changed(stats)) return undefined;
      const bytes = Buffer.alloc(stats.size);
      let read = 0;
      while (read < bytes.length) {
        const n = readSync(fd, bytes, read, bytes.length - read, read);
        if (n === 0) break;
        read += n;
      }
      return this.#decode(bytes.subarray(0, read), stats);
    } finally {
      closeSync(fd);
    }
  }

  async load(): Promise<TableRows | undefined> {
    let file;
    try {
      file = await open(this.#path, 'r');
    } catch (error) {
      throw this.#unreadable(error);
    }
    try {
      const stats = await file.stat();
      if (!this.#changed(stats)) return undefined;
      const bytes = Buffer.alloc(stats.size);
      const { bytesRead } = await file.read(bytes, 0, bytes.length, 0);
      return this.#decode(bytes.subarray(0, bytesRead), stats);
    } finally {
      await file.close();
    }
  }

  /** False when the file is the one last read; throws before reading one over the limit. */
  #changed(stats: Stats): boolean {
    if (!stats.isFile()) throw new TableDataError(`${this.source} is not a file`);
    const maxBytes = this.#config.max_size_mb * MiB;
    if (stats.size > maxBytes) throw tooLarge(this.source, `is ${formatBytes(stats.size)}`, maxBytes);
    return `${stats.mtimeMs}:${stats.size}` !== this.#stamp;
  }

  #decode(bytes: Buffer, stats: Stats): TableRows {
    const rows = decodeTable(bytes, { compression: this.#config.compression, maxBytes: this.#config.max_size_mb * MiB, source: this.source });
    this.#stamp = `${stats.mtimeMs}:${stats.size}`;
    return rows;
  }

  #unreadable(error: unknown): TableDataError {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return new TableDataError(`${this.source} not found (the table's path in conf/lookup_tables.json is relative to the project folder)`);
    return new TableDataError(`${this.source} cannot be read (${(error as Error).message})`);
  }
}
