import { join } from 'node:path';
import { ConfigError } from '../config/errors.ts';
import type { Project } from '../config/project.ts';
import type { AlertStore } from './alert-store.ts';
import { SqliteAlertStore } from './sqlite.ts';

/** The project's alert store, per `store.backend` in conf/global.json. */
export function openAlertStore(project: Project): AlertStore {
  if (project.global.store.backend === 'dynamodb') {
    throw new ConfigError("the 'dynamodb' alert store is not available yet; use \"store\": {\"backend\": \"sqlite\"} in conf/global.json");
  }
  return new SqliteAlertStore(join(project.dir, '.streamalert', 'alerts.db'));
}
