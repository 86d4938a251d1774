import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { expect } from 'vitest';
import { streamalert } from '../support/cli.ts';
import type { LoopbackReceiver } from '../support/receiver.ts';
import { SCHEMAS, duoRecord, tempProject } from '../support/rules-project.ts';
import { isolatedEnv } from '../support/secrets.ts';

const RULE = `import { rule } from 'streamalert';
export const duo_fraud = rule({ logs: ['duo:authentication'], outputs: ['pagerduty:oncall'] }, (rec) => rec.result === 'fraud');
`;

/** A project whose one rule sends every Duo fraud record to `pagerduty:oncall`, served by `receiver`. */
export interface PagerdutyProject {
  dir: string;
  env: NodeJS.ProcessEnv;
  /** .streamalert/alerts.db */
  dbPath: string;
}

/**
 * Makes the project (SQLite store; retries quick so a test never waits long for one) and
 * configures the output through the real CLI; `prepare` runs before that (e.g. mounts a small
 * disk on .streamalert). `receiver` answers as PagerDuty does.
 *
 * @example
 *   const project = pagerdutyProject(receiver);
 */
export function pagerdutyProject(receiver: LoopbackReceiver, prepare: (dir: string) => void = () => {}): PagerdutyProject {
  receiver.respond((request) => ({ status: 202, body: { status: 'success', message: 'Event processed', dedup_key: dedupKeyOf(request.json) } }));
  const env = isolatedEnv();
  const dir = tempProject({
    ...SCHEMAS,
    'rules/duo_fraud.ts': RULE,
    'conf/global.json': { delivery: { baseDelayMs: 10, maxDelayMs: 50 } },
    // No rate limit: these tests deliver thousands of alerts, which PagerDuty's two a second would take half an hour over.
    'conf/output_settings.json': { pagerduty: { oncall: { ratePerSecond: '0' } } },
  });
  prepare(dir);
  const configured = streamalert(['--project', dir, 'output', 'new', '--service', 'pagerduty', '--from-file', '-'], {
    env,
    input: JSON.stringify({ descriptor: 'oncall', routing_key: 'R0UTINGKEY0000000000000000000000', url: `${receiver.url}/v2/enqueue` }),
  });
  expect(configured.status, configured.stderr).toBe(0);
  return { dir, env, dbPath: join(dir, '.streamalert', 'alerts.db') };
}

/** Writes `count` distinct Duo fraud records as NDJSON (gzipped when the name ends in .gz); returns the path. */
export function fraudInput(dir: string, name: string, count: number): string {
  const text = Array.from({ length: count }, (_, i) => JSON.stringify(duoRecord({ user: { name: `${name}-${i}@example.com`, key: `K${i}` } }))).join('\n') + '\n';
  const path = join(dir, name);
  writeFileSync(path, name.endsWith('.gz') ? gzipSync(text) : text);
  return path;
}

/** How many times the receiver got each alert id (PagerDuty's dedup_key is the alert id). */
export function sendsById(receiver: LoopbackReceiver): Map<string, number> {
  const sends = new Map<string, number>();
  for (const request of receiver.requests) {
    const id = dedupKeyOf(request.json);
    if (id) sends.set(id, (sends.get(id) ?? 0) + 1);
  }
  return sends;
}

/** The ids sent more than once. */
export function duplicates(sends: Map<string, number>): string[] {
  return [...sends].filter(([, count]) => count > 1).map(([id]) => id);
}

/** Reads the store file as another process would: rows per table, and deliveries per status. */
export function storeCounts(dbPath: string): { alerts: number; byStatus: Record<string, number> } {
  const db = new Database(dbPath, { readonly: true });
  try {
    const alerts = (db.prepare('SELECT COUNT(*) AS n FROM alerts').get() as { n: number }).n;
    const rows = db.prepare('SELECT status, COUNT(*) AS n FROM deliveries GROUP BY status').all() as { status: string; n: number }[];
    return { alerts, byStatus: Object.fromEntries(rows.map((row) => [row.status, row.n])) };
  } finally {
    db.close();
  }
}

function dedupKeyOf(json: unknown): string | undefined {
  return (json as { dedup_key?: string } | undefined)?.dedup_key;
}
