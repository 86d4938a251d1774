import type { AlertSource } from '../rules/engine.ts';

/**
 * Where records come from, as StreamAlert stamps its alerts: the entry point's service (`file`
 * for `run`, `http` for `serve`, `s3` on Lambda), its resource (the file, the caller's token,
 * the bucket) and the cluster, from STREAMALERT_CLUSTER (the deployed stack sets it; `local`
 * when embedded).
 *
 * @example
 *   pipeline.source = alertSource('s3', 'my-log-bucket');  // alerts get source_service 's3', source_entity 'my-log-bucket'
 */
export function alertSource(service: string, entity: string): AlertSource {
  return { service, entity, cluster: process.env.STREAMALERT_CLUSTER || 'local' };
}
