import { createHash } from 'node:crypto';
import type { AlertStore } from '../../store/alert-store.ts';

/**
 * A short fingerprint of what the live pages show: the newest alert and every output's backlog
 * (a delivery that ends or a dead letter replayed changes it). Cheap on both stores, so a page
 * can ask for it every few seconds and fetch itself again only when it changed.
 */
export async function changeStamp(store: AlertStore): Promise<string> {
  const [newest] = await store.list({ limit: 1 });
  const backlog = await store.backlog();
  return createHash('sha256')
    .update(JSON.stringify([newest?.alert.id ?? null, newest?.deliveries.map((d) => [d.output, d.status, d.attempts]) ?? null, backlog]))
    .digest('base64url')
    .slice(0, 16);
}
