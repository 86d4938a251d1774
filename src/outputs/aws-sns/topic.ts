/** An SNS topic ARN's parts, or undefined for anything else. https://docs.aws.amazon.com/sns/latest/dg/sns-create-topic.html */
export function parseTopicArn(value: string): { arn: string; region: string; name: string } | undefined {
  const match = /^arn:aws[a-z-]*:sns:([a-z0-9-]+):\d{12}:([A-Za-z0-9_-]{1,256}(?:\.fifo)?)$/.exec(value);
  return match ? { arn: value, region: match[1]!, name: match[2]! } : undefined;
}

/** Topic names: 1 to 256 letters, digits, hyphens and underscores, `.fifo` for FIFO topics. */
export function isTopicName(value: string): boolean {
  return /^[A-Za-z0-9_-]{1,256}(?:\.fifo)?$/.test(value) && value.length <= 256;
}

/** SNS subjects must be under 100 characters of printable ASCII, with no line breaks. */
export const SNS_SUBJECT_MAX_CHARS = 99;

/**
 * The subject StreamAlert gives a published alert, "<rule> triggered alert <id>", with anything
 * SNS refuses replaced and the middle elided so that both ends (the rule, the id) stay readable.
 * https://docs.aws.amazon.com/sns/latest/api/API_Publish.html (Subject)
 */
export function alertSubject(ruleName: string, alertId: string): string {
  const subject = `${ruleName} triggered alert ${alertId}`.replace(/[^\x20-\x7e]/g, '?');
  if (subject.length <= SNS_SUBJECT_MAX_CHARS) return subject;
  const keep = SNS_SUBJECT_MAX_CHARS - 3;
  const head = Math.ceil(keep / 2);
  return `${subject.slice(0, head)}...${subject.slice(subject.length - (keep - head))}`;
}
