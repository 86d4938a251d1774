import { KMSClient } from '@aws-sdk/client-kms';
import { SSMClient } from '@aws-sdk/client-ssm';
import type { S3Client } from '@aws-sdk/client-s3';
import { AwsClients } from '../aws/clients.ts';

export interface SecretsAwsClientsOptions {
  /** The account region from conf/global.json. */
  region: string;
  timeoutMs?: number;
}

/**
 * The AWS clients the credential backends use, built lazily. S3 comes from the outputs'
 * AwsClients (one place knows the custom-endpoint quirks); KMS and SSM keep the SDK's default
 * retries because storing or loading a secret has no delivery engine above it to retry.
 */
export class SecretsAwsClients {
  readonly region: string;
  readonly #timeoutMs: number;
  readonly #aws: AwsClients;
  #kms: KMSClient | undefined;
  #ssm: SSMClient | undefined;

  constructor(options: SecretsAwsClientsOptions) {
    this.region = options.region;
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#aws = new AwsClients({ region: options.region, timeoutMs: this.#timeoutMs });
  }

  s3(): Promise<S3Client> {
    return this.#aws.s3();
  }

  kms(): KMSClient {
    this.#kms ??= new KMSClient(this.#common());
    return this.#kms;
  }

  ssm(): SSMClient {
    this.#ssm ??= new SSMClient(this.#common());
    return this.#ssm;
  }

  destroy(): void {
    this.#kms?.destroy();
    this.#ssm?.destroy();
    this.#kms = this.#ssm = undefined;
    this.#aws.destroy();
  }

  #common() {
    // throwOnRequestTimeout: otherwise the SDK only warns when requestTimeout passes.
    return {
      region: this.region,
      requestHandler: { connectionTimeout: this.#timeoutMs, requestTimeout: this.#timeoutMs, throwOnRequestTimeout: true },
    };
  }
}
