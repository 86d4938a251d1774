// Firehose stream names and ARNs, from DeliveryStreamName's pattern in
// https://docs.aws.amazon.com/firehose/latest/APIReference/API_PutRecord.html#API_PutRecord_RequestSyntax
const NAME = '[a-zA-Z0-9_.-]{1,64}';
const ARN = new RegExp(`^arn:aws[a-z-]*:firehose:([a-z0-9-]+):\\d{12}:deliverystream/(${NAME})$`);

/** The stream PutRecord addresses (it takes a name only) and the region a stream ARN names. */
export interface StreamTarget {
  readonly name: string;
  readonly region?: string;
}

/**
 * A configured Firehose stream: StreamAlert's name, or a stream ARN for a stream of another
 * region. Undefined for anything else.
 *
 * @example
 *   parseStream('arn:aws:firehose:eu-west-1:123456789012:deliverystream/alerts') // { name: 'alerts', region: 'eu-west-1' }
 */
export function parseStream(value: string): StreamTarget | undefined {
  const arn = ARN.exec(value);
  if (arn) return { name: arn[2]!, region: arn[1]! };
  return new RegExp(`^${NAME}$`).test(value) ? { name: value } : undefined;
}
