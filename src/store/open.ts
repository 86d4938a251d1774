import { join } from 'node:path';
import type { Project } from '../config/project.ts';
import type { AlertStore } from './alert-store.ts';
import { DynamoDbAlertStore } from './dynamodb.ts';
import { SqliteAlertStore } from './sqlite.ts';

/**
 * The project's alert store, per `store.backend` in conf/global.json: SQLite at
 * .streamalert/alerts.db (embedded), or the DynamoDB table `<prefix>_streamalert_alerts`.
 */
export function openAlertStore(project: Project): AlertStore {
  const { prefix, region } = project.global.account;
  return project.global.store.backend === 'dynamodb'
    ? new DynamoDbAlertStore(`${prefix}_streamalert_alerts`, region)
    : new SqliteAlertStore(join(project.dir, '.streamalert', 'alerts.db'));
}
