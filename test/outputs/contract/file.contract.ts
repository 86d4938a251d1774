import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { createOutputContext } from '../../../src/outputs/context.ts';
import { createOutput } from '../../../src/outputs/registry.ts';
import type { Mode, ServiceContract } from '../../support/contract.ts';

/** A full disk, on demand: every write to it fails with ENOSPC. */
const FULL_DISK = '/dev/full';
/** A file even root may not write (root ignores file modes): a read-only sysfs attribute. */
const ROOT_UNWRITABLE = '/sys/kernel/notes';
const asRoot = process.getuid?.() === 0;
const canRefuseWrite = !asRoot || existsSync(ROOT_UNWRITABLE);

/**
 * The file output's contract, made by hand: there is no vendor to stand in for, so the modes
 * are what a file system can answer. A full disk is the transient failure, a path without
 * permission the refused credential; a local append has no rate limit, no hang and no connection.
 */
const contract: ServiceContract = {
  service: 'file',
  docs: ['https://jsonlines.org/', 'https://www.elastic.co/docs/reference/beats/filebeat/filebeat-input-filestream'],
  idempotency: 'none: an append cannot be undone or recognised, so a retry after an unclear failure may append the alert twice; readers key on the id',
  excused: {
    rate_limited: 'a local file has no rate limit to answer with',
    hang: 'a local append completes or fails; there is no server to stop answering',
    reset: 'a local append makes no connection that could be reset',
    ...(existsSync(FULL_DISK) ? {} : { server_error: `this system has no ${FULL_DISK} to play a full disk` }),
    ...(canRefuseWrite ? {} : { auth: `running as root, and no ${ROOT_UNWRITABLE} that root may not write` }),
  },
  async harness() {
    const dir = mkdtempSync(join(tmpdir(), 'streamalert-file-contract-'));
    const context = createOutputContext({ projectDir: dir });
    const delivered = join(dir, 'alerts.jsonl');
    const paths: Record<Mode, () => string> = {
      ok: () => delivered,
      server_error: () => FULL_DISK,
      auth: () => {
        if (asRoot) return ROOT_UNWRITABLE;
        const locked = join(dir, 'locked');
        mkdirSync(locked, { recursive: true });
        chmodSync(locked, 0o500);
        return join(locked, 'alerts.jsonl');
      },
      rate_limited: () => delivered,
      hang: () => delivered,
      reset: () => delivered,
    };
    return {
      secrets: [],
      async output(mode) {
        return createOutput('file', { descriptor: 'contract', values: { path: paths[mode]() } }, context);
      },
      async check(alert, publication) {
        const lines = readFileSync(delivered, 'utf8').split('\n');
        expect(lines.at(-1), 'each alert ends in a newline').toBe('');
        expect(JSON.parse(lines.at(-2)!)).toEqual(JSON.parse(JSON.stringify(publication)));
        expect(JSON.parse(lines.at(-2)!).id).toBe(alert.id);
      },
      async close() {
        await context.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

export default contract;
