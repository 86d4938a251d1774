import type { S3Client } from '@aws-sdk/client-s3';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { Deadline } from '../outputs/deadline.ts';

/** Temporary AWS credentials, as SDK clients take them. */
export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  /** When they stop working: the SDK asks its provider again shortly before. */
  readonly expiration?: Date;
}

/** Credentials other than the SDK's chain (an assumed role's), by a name that keys their clients. */
export interface ClientIdentity {
  readonly name: string;
  readonly credentials: () => Promise<AwsCredentials>;
}

export interface AwsClientOptions {
  /** Default: AWS_REGION, then us-east-1. */
  region?: string;
  /** Per call: its deadline, from sending it to the end of the answer. */
  timeoutMs?: number;
  /**
   * An endpoint for every service, overriding AWS_ENDPOINT_URL(_<SERVICE>). For tests that stand
   * a scripted loopback server in for AWS while other clients of the same run talk to moto.
   */
  endpoint?: string;
}

/**
 * Lazily built, shared AWS SDK v3 clients; each SDK package is imported on first use, so commands
 * that call no AWS service never load it (about 60 ms each). They use the SDK's standard configuration (the
 * credential chain, AWS_REGION, AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_<SERVICE>), with two
 * choices of ours: one attempt per call, because the delivery engine owns retries; and, with a
 * custom S3 endpoint (moto, MinIO), path-style addressing and checksums only when required.
 */
export class AwsClients {
  readonly region: string;
  readonly #timeoutMs: number;
  readonly #endpoint: string | undefined;
  #s3: S3Client | undefined;
  /** Keyed by service and region: an ARN or a queue URL names its region, and a client talks to one. */
  readonly #clients = new Map<string, { destroy(): void }>();

  constructor(options: AwsClientOptions = {}) {
    this.region = options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#endpoint = options.endpoint;
  }

  async s3(): Promise<S3Client> {
    const { S3Client } = await import('@aws-sdk/client-s3');
    const customEndpoint = Boolean(this.#endpoint ?? process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL);
    this.#s3 ??= new S3Client({
      ...this.common(this.region),
      forcePathStyle: customEndpoint,
      ...(customEndpoint ? { requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' } : {}),
    });
    return this.#s3;
  }

  /** The Lambda client for `region` (default: this client set's region). */
  lambda(region?: string): Promise<LambdaClient> {
    return this.client('lambda', async () => (await import('@aws-sdk/client-lambda')).LambdaClient, region);
  }

  /** The SNS client for `region` (default: this client set's region). */
  sns(region?: string): Promise<SNSClient> {
    return this.client('sns', async () => (await import('@aws-sdk/client-sns')).SNSClient, region);
  }

  /** The SQS client for `region` (default: this client set's region). */
  sqs(region?: string): Promise<SQSClient> {
    return this.client('sqs', async () => (await import('@aws-sdk/client-sqs')).SQSClient, region);
  }

  /**
   * The client of any AWS service for `region` (default: this client set's region), built once
   * with our common configuration; `load` imports its SDK package on first use. With `identity`,
   * the client signs with that identity's credentials instead of the SDK's credential chain.
   *
   * @example
   *   const firehose = await aws.client('firehose', async () => (await import('@aws-sdk/client-firehose')).FirehoseClient);
   */
  async client<C extends { destroy(): void }>(
    service: string,
    load: () => Promise<new (config: ReturnType<AwsClients['common']> & { credentials?: ClientIdentity['credentials'] }) => C>,
    region: string = this.region,
    identity?: ClientIdentity,
  ): Promise<C> {
    const key = identity ? `${service} ${region} ${identity.name}` : `${service} ${region}`;
    let client = this.#clients.get(key) as C | undefined;
    if (!client) {
      const Client = await load();
      client = this.#clients.get(key) as C | undefined;
      if (!client) {
        client = new Client(identity ? { ...this.common(region), credentials: identity.credentials } : this.common(region));
        this.#clients.set(key, client);
      }
    }
    return client;
  }

  /**
   * Makes one SDK call under an overall deadline: `timeoutMs`, or the attempt's `signal`,
   * whichever passes first. The SDK's own requestTimeout ends when the response headers arrive,
   * so a server trickling its body would otherwise hold the call past the delivery's lease. A
   * deadline that passed is thrown as a DeadlineError, which classifyAwsError reads as a timeout.
   *
   * @example
   *   const s3 = await aws.s3();
   *   await aws.call((abortSignal) => s3.send(new PutObjectCommand(input), { abortSignal }), attempt.signal);
   */
  async call<T>(send: (abortSignal: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T> {
    const deadline = new Deadline(this.#timeoutMs, 'request', signal);
    try {
      return await send(deadline.signal);
    } catch (error) {
      throw deadline.passed ?? error;
    } finally {
      deadline.clear();
    }
  }

  destroy(): void {
    this.#s3?.destroy();
    this.#s3 = undefined;
    for (const client of this.#clients.values()) client.destroy();
    this.#clients.clear();
  }

  /** The configuration every client shares: a region, one attempt per call, our deadlines. */
  common(region: string) {
    return {
      region,
      maxAttempts: 1,
      // Without throwOnRequestTimeout the SDK only logs a warning when requestTimeout passes,
      // and a hung call would hold its delivery until the server gave up.
      requestHandler: { connectionTimeout: this.#timeoutMs, requestTimeout: this.#timeoutMs, throwOnRequestTimeout: true },
      ...(this.#endpoint ? { endpoint: this.#endpoint } : {}),
    };
  }
}
