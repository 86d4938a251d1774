import { expect } from 'vitest';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { alertObjectKey } from '../../../src/outputs/aws-s3/key.ts';
import { awsContract } from '../../support/contract.ts';
import { uniqueName } from '../../support/moto.ts';

interface StoredObject {
  key: string;
  contentType: string | undefined;
  body: string;
}

export default awsContract({
  service: 'aws-s3',
  docs: ['https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html', 'https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html'],
  idempotency: "one object per alert: the key comes from the alert alone (its creation hour, rule and id), so a retry after a lost answer overwrites the object it may have written",
  protocol: 'rest-xml',
  async setup() {
    const bucket = uniqueName('alerts');
    const admin = new S3Client({ forcePathStyle: true });
    try {
      await admin.send(new CreateBucketCommand({ Bucket: bucket }));
    } finally {
      admin.destroy();
    }
    return {
      values: { bucket },
      async received(): Promise<StoredObject[]> {
        const reader = new S3Client({ forcePathStyle: true });
        try {
          const { Contents = [] } = await reader.send(new ListObjectsV2Command({ Bucket: bucket }));
          return await Promise.all(
            Contents.map(async ({ Key }) => {
              const object = await reader.send(new GetObjectCommand({ Bucket: bucket, Key }));
              return { key: Key!, contentType: object.ContentType, body: await object.Body!.transformToString() };
            }),
          );
        } finally {
          reader.destroy();
        }
      },
    };
  },
  check(received, alert, publication) {
    const object = (received as StoredObject[]).find(({ key }) => key === alertObjectKey(alert));
    expect(object, `an object at ${alertObjectKey(alert)}`).toBeDefined();
    expect(object!.key).toMatch(/^alerts\/dt=\d{4}-\d{2}-\d{2}-\d{2}\//);
    expect(object!.contentType).toBe('application/json');
    expect(JSON.parse(object!.body)).toEqual(JSON.parse(JSON.stringify(publication)));
  },
});
