import { createAlert, type Alert } from '../../src/alerts/alert.ts';

/** A CloudTrail root console sign-in, with the publishers a rule assigned per output. */
export function rootAlert(publishers: Record<string, string[]> = {}, fields: Partial<Alert> = {}): Alert {
  return createAlert({
    ruleName: 'cloudtrail_root_account_usage',
    ruleDescription: 'The AWS root user signed in: <investigate> & rotate',
    logSource: 'cloudtrail:events',
    logType: 'json',
    sourceEntity: 'acme-cloudtrail',
    sourceService: 's3',
    outputs: Object.keys(publishers),
    publishers,
    context: {},
    record: {
      eventName: 'ConsoleLogin',
      eventSource: 'signin.amazonaws.com',
      awsRegion: 'us-east-1',
      sourceIPAddress: '198.51.100.23',
      readOnly: false,
      userIdentity: { type: 'Root', arn: 'arn:aws:iam::123456789012:root', sessionContext: { attributes: { mfaAuthenticated: 'false' } } },
      resources: [{ ARN: 'arn:aws:iam::123456789012:root', sessionToken: 'secret-ish' }],
    },
    ...fields,
  });
}

/**
 * An S3 object made public (a CloudWatch event of a CloudTrail call), with a StreamAlert-style
 * rule description: free text, then `field: value` lines.
 */
export function publicAclAlert(publishers: Record<string, string[]>, context: Record<string, unknown> = {}): Alert {
  return createAlert({
    ruleName: 'cloudtrail_put_object_acl_public',
    ruleDescription: [
      'author: secops',
      'description: An S3 object ACL now grants access to AllUsers',
      '             or AuthenticatedUsers.',
      'reference: https://docs.aws.amazon.com/AmazonS3/latest/userguide/',
      '           acl-overview.html',
      'note: for the example only',
    ].join('\n'),
    logSource: 'cloudwatch:events',
    logType: 'json',
    sourceEntity: 'prefix_cluster1_streamalert',
    sourceService: 'kinesis',
    outputs: Object.keys(publishers),
    publishers,
    context,
    created: new Date('2024-03-01T12:00:00.750Z'),
    record: {
      account: '123456789012',
      detail: {
        eventName: 'PutObjectAcl',
        eventSource: 's3.amazonaws.com',
        eventTime: '2024-03-01T11:59:58Z',
        requestID: '5f0c1d2e-0000-4000-8000-00000000abcd',
        sourceIPAddress: '203.0.113.9',
        userIdentity: { type: 'IAMUser', userName: 'dev_user' },
        requestParameters: { bucketName: 'example-public-bucket', key: 'report.csv', 'x-amz-grant-read': 'uri=http://acs.amazonaws.com/groups/global/AllUsers' },
        resources: [{ ARN: 'arn:aws:s3:::example-public-bucket/report.csv' }, { ARN: 'arn:aws:s3:::example-public-bucket' }],
      },
    },
  });
}
