/**
 * Event JSON as AWS documents it, with our payloads: the fields Lambda sends, in their shapes.
 */

/** https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis.html (the sample event). */
export function kinesisEvent(stream: string, records: readonly { data: Buffer | string; sequenceNumber: string }[]) {
  return {
    Records: records.map(({ data, sequenceNumber }) => ({
      kinesis: {
        kinesisSchemaVersion: '1.0',
        partitionKey: '1',
        sequenceNumber,
        data: Buffer.from(data).toString('base64'),
        approximateArrivalTimestamp: 1545084650.987,
      },
      eventSource: 'aws:kinesis' as const,
      eventVersion: '1.0',
      eventID: `shardId-000000000006:${sequenceNumber}`,
      eventName: 'aws:kinesis:record',
      invokeIdentityArn: 'arn:aws:iam::123456789012:role/lambda-role',
      awsRegion: 'us-east-1',
      eventSourceARN: `arn:aws:kinesis:us-east-1:123456789012:stream/${stream}`,
    })),
  };
}

/** https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html (the sample event). */
export function sqsEvent(queue: string, messages: readonly { messageId: string; body: string }[]) {
  return {
    Records: messages.map(({ messageId, body }) => ({
      messageId,
      receiptHandle: 'MessageReceiptHandle',
      body,
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: '1523232000000',
        SenderId: '123456789012',
        ApproximateFirstReceiveTimestamp: '1523232000001',
      },
      messageAttributes: {},
      md5OfBody: '{{{md5_of_body}}}',
      eventSource: 'aws:sqs' as const,
      eventSourceARN: `arn:aws:sqs:us-east-1:123456789012:${queue}`,
      awsRegion: 'us-east-1',
    })),
  };
}

/** https://docs.aws.amazon.com/lambda/latest/dg/with-sns.html (the sample event). */
export function snsEvent(topic: string, messages: readonly string[]) {
  return {
    Records: messages.map((message, index) => ({
      EventVersion: '1.0',
      EventSubscriptionArn: `arn:aws:sns:us-east-1:123456789012:${topic}:c9135db0-26c4-47ec-8998-413945fb5a96`,
      EventSource: 'aws:sns' as const,
      Sns: snsNotification(topic, message, `95df01b4-ee98-5cb9-9903-4c221d41eb5${index}`),
    })),
  };
}

/** An SNS notification as SNS sends it (https://docs.aws.amazon.com/sns/latest/dg/sns-message-and-json-formats.html#http-notification-json): to SQS without raw message delivery, this JSON is the body. */
export function snsNotification(topic: string, message: string, messageId = '22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324') {
  return {
    SignatureVersion: '1',
    Timestamp: '2019-01-02T12:45:07.000Z',
    Signature: 'tcc6faL2yUC6dgZdmrwh1Y4cGa/ebXEkAi6RibDsvpi+tE/1+82j...65r==',
    SigningCertUrl: 'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-ac565b8b1a6c5d002d285f9598aa1d9b.pem',
    MessageId: messageId,
    Message: message,
    MessageAttributes: {},
    Type: 'Notification',
    UnsubscribeUrl: `https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&amp;SubscriptionArn=arn:aws:sns:us-east-1:123456789012:${topic}`,
    TopicArn: `arn:aws:sns:us-east-1:123456789012:${topic}`,
    Subject: 'TestInvoke',
  };
}

/** https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html (an ObjectCreated:Put record); the key URL-encoded as S3 sends it. */
export function s3Notification(bucket: string, key: string) {
  return {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: 'us-east-1',
        eventTime: '2026-11-28T00:00:00.000Z',
        eventName: 'ObjectCreated:Put',
        userIdentity: { principalId: 'AWS:AIDAJDPLRKLG7UEXAMPLE' },
        requestParameters: { sourceIPAddress: '127.0.0.1' },
        responseElements: { 'x-amz-request-id': 'C3D13FE58DE4C810', 'x-amz-id-2': 'FMyUVURIY8/IgAtTv8xRjskZQpcIZ9KG4V5Wp6S7S/JRWeUWerMUE5JgHvANOjpD' },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: 'streamalert',
          bucket: { name: bucket, ownerIdentity: { principalId: 'A3NL1KOZZKExample' }, arn: `arn:aws:s3:::${bucket}` },
          object: { key: encodeURIComponent(key).replace(/%20/g, '+').replace(/%2F/g, '/'), size: 1024, eTag: 'd41d8cd98f00b204e9800998ecf8427e', sequencer: '0055AED6DCD90281E5' },
        },
      },
    ],
  };
}

/** https://docs.aws.amazon.com/AmazonS3/latest/userguide/ev-events.html (Object Created): the key as it is. */
export function eventBridgeObjectCreated(bucket: string, key: string) {
  return {
    version: '0',
    id: '17793124-05d4-b198-2fde-7ededc63b103',
    'detail-type': 'Object Created' as const,
    source: 'aws.s3' as const,
    account: '111122223333',
    time: '2021-11-12T00:00:00Z',
    region: 'us-east-1',
    resources: [`arn:aws:s3:::${bucket}`],
    detail: {
      version: '0',
      bucket: { name: bucket },
      object: { key, size: 5, etag: 'b1946ac92492d2347c6235b4d2611184', sequencer: '00617F08299329D189' },
      'request-id': 'N4N7GDK58NMKJ12R',
      requester: '123456789012',
      'source-ip-address': '1.2.3.4',
      reason: 'PutObject',
    },
  };
}

/** https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html (the sample event): INSERT records of the alerts table, keys only. */
export function dynamoDbStreamEvent(table: string, keys: readonly { alertId: string; output: string }[]) {
  return {
    Records: keys.map(({ alertId, output }, index) => ({
      eventID: `c4ca4238a0b923820dcc509a6f75849${index}`,
      eventName: 'INSERT' as const,
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb' as const,
      awsRegion: 'us-east-1',
      dynamodb: {
        Keys: { alert_id: { S: alertId }, output: { S: output } },
        SequenceNumber: `${111 + index}`,
        SizeBytes: 26,
        StreamViewType: 'KEYS_ONLY',
      },
      eventSourceARN: `arn:aws:dynamodb:us-east-1:123456789012:table/${table}/stream/2026-11-28T00:00:00.000`,
    })),
  };
}
