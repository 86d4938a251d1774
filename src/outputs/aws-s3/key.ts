/**
 * Characters S3 documents as safe in object keys; anything else in a rule name is replaced so
 * that a key never gains an extra `/` level or needs special handling by readers.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html#object-key-guidelines-safe-characters
 */
const UNSAFE_KEY_CHARS = /[^A-Za-z0-9!\-_.*'()]/g;

/**
 * The object key of one alert: partitioned by the UTC hour the alert was created (StreamAlert's
 * `dt=` layout, which Athena and Glue read as a partition), named by rule and alert id. It
 * depends only on the alert, never on the clock at send time, so a retry overwrites the same
 * object instead of writing a second one.
 *
 * @example
 *   alertObjectKey({ ruleName: 'cloudtrail_root_account_usage', id: '79b1…', created: new Date('2026-11-28T07:00:05Z') })
 *   // 'alerts/dt=2026-11-28-07/cloudtrail_root_account_usage_79b1….json'
 */
export function alertObjectKey(alert: { ruleName: string; id: string; created: Date }): string {
  const hour = alert.created.toISOString().slice(0, 13).replace('T', '-'); // YYYY-MM-DD-HH, UTC
  const rule = alert.ruleName.replace(UNSAFE_KEY_CHARS, '_');
  const id = alert.id.replace(UNSAFE_KEY_CHARS, '_');
  return `alerts/dt=${hour}/${rule}_${id}.json`;
}
