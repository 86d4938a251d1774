import { S3Client } from '@aws-sdk/client-s3';
import { LambdaClient } from '@aws-sdk/client-lambda';

export interface AwsClientOptions {
  /** Default: AWS_REGION, then us-east-1. */
  region?: string;
  /** Per call: connecting and waiting for the response. */
  timeoutMs?: number;
}

/**
 * Lazily built, shared AWS SDK v3 clients. They use the SDK's standard configuration (the
 * credential chain, AWS_REGION, AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_<SERVICE>), with two
 * choices of ours: one attempt per call, because the delivery engine owns retries; and, with a
 * custom S3 endpoint (moto, MinIO), path-style addressing and checksums only when required.
 */
export class AwsClients {
  readonly region: string;
  readonly #timeoutMs: number;
  #s3: S3Client | undefined;
  #lambda: LambdaClient | undefined;

  constructor(options: AwsClientOptions = {}) {
    this.region = options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
    this.#timeoutMs = options.timeoutMs ?? 10_000;
  }

  s3(): S3Client {
    const customEndpoint = Boolean(process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL);
    this.#s3 ??= new S3Client({
      ...this.#common(),
      forcePathStyle: customEndpoint,
      ...(customEndpoint ? { requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' } : {}),
    });
    return this.#s3;
  }

  lambda(): LambdaClient {
    this.#lambda ??= new LambdaClient(this.#common());
    return this.#lambda;
  }

  destroy(): void {
    this.#s3?.destroy();
    this.#lambda?.destroy();
    this.#s3 = this.#lambda = undefined;
  }

  #common() {
    return {
      region: this.region,
      maxAttempts: 1,
      requestHandler: { connectionTimeout: this.#timeoutMs, requestTimeout: this.#timeoutMs },
    };
  }
}
