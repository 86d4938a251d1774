/** Queue names: 1 to 80 letters, digits, hyphens and underscores, `.fifo` for FIFO queues. */
export function isQueueName(value: string): boolean {
  return /^[A-Za-z0-9_-]{1,75}(?:\.fifo)?$/.test(value) || /^[A-Za-z0-9_-]{76,80}$/.test(value);
}

/**
 * A queue URL and the region its host names (`sqs.<region>.amazonaws.com`, or the legacy
 * `<region>.queue.amazonaws.com`); undefined region for other hosts (a local endpoint).
 */
export function parseQueueUrl(value: string): { url: string; region: string | undefined } | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || !/^\/\d{12}\/[A-Za-z0-9_.-]{1,80}$/.test(url.pathname)) return undefined;
  const region = /^sqs\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/.exec(url.hostname)?.[1] ?? /^([a-z0-9-]+)\.queue\.amazonaws\.com$/.exec(url.hostname)?.[1];
  return { url: value, region };
}
