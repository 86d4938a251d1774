import type { OutputBacklog } from '../store/alert-store.ts';

/**
 * The custom metric the alert sweeper publishes once per invocation, and the stack's alarm
 * reads (src/deploy/alarms.ts): the age of the oldest pending delivery, per account prefix.
 * One declaration for both, so the log line and the alarm cannot drift apart.
 */
export const OLDEST_PENDING_METRIC = { namespace: 'StreamAlert', metricName: 'OldestPendingDeliveryAgeSeconds', dimension: 'Prefix', unit: 'Seconds' } as const;

/** Seconds the oldest pending delivery has waited since it was queued, at `now` (epoch ms); 0 when nothing is pending. */
export function oldestPendingAgeSeconds(backlog: Readonly<Record<string, OutputBacklog>>, now: number): number {
  const oldest = Math.min(...Object.values(backlog).flatMap(({ oldestPendingAt }) => (oldestPendingAt === undefined ? [] : [oldestPendingAt])));
  return Number.isFinite(oldest) ? Math.max(0, Math.floor((now - oldest) / 1000)) : 0;
}

/**
 * The metric as one CloudWatch embedded-metric-format log line: CloudWatch Logs turns it into a
 * data point, so the function needs no PutMetricData grant and makes no extra call.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
 *
 * @example
 *   oldestPendingMetricLine('acme', 42, Date.now())
 *   // {"_aws":{"Timestamp":...,"CloudWatchMetrics":[{"Namespace":"StreamAlert","Dimensions":[["Prefix"]],"Metrics":[{"Name":"OldestPendingDeliveryAgeSeconds","Unit":"Seconds"}]}]},"Prefix":"acme","OldestPendingDeliveryAgeSeconds":42}
 */
export function oldestPendingMetricLine(prefix: string, ageSeconds: number, now: number): string {
  const { namespace, metricName, dimension, unit } = OLDEST_PENDING_METRIC;
  return JSON.stringify({
    _aws: { Timestamp: now, CloudWatchMetrics: [{ Namespace: namespace, Dimensions: [[dimension]], Metrics: [{ Name: metricName, Unit: unit }] }] },
    [dimension]: prefix,
    [metricName]: ageSeconds,
  });
}
