import { join } from 'node:path';
import type { Project } from '../config/project.ts';
import type { AlertStore } from './alert-store.ts';

/**
 * The project's alert store, per `store.backend` in conf/global.json: SQLite at
 * .streamalert/alerts.db (embedded), or the DynamoDB table `<prefix>_streamalert_alerts`. Only the
 * chosen backend's module (and its driver: better-sqlite3 or the AWS SDK) is loaded.
 */
export async function openAlertStore(project: Project): Promise<AlertStore> {
  const { prefix, region } = project.global.account;
  if (project.global.store.backend === 'dynamodb') {
    const { DynamoDbAlertStore } = await import('./dynamodb.ts');
    return new DynamoDbAlertStore(`${prefix}_streamalert_alerts`, region, { retentionDays: project.global.store.retentionDays });
  }
  const { SqliteAlertStore } = await import('./sqlite.ts');
  return new SqliteAlertStore(join(project.dir, '.streamalert', 'alerts.db'), { synchronous: project.global.store.synchronous });
}
