import type { AwsClients, AwsCredentials, ClientIdentity } from './clients.ts';

/**
 * Credentials are assumed anew this long before they expire. More than the SDK's own margin
 * (it asks its provider again 5 minutes before `expiration`), so that a client never holds
 * credentials about to lapse in the middle of a call.
 */
export const RENEW_BEFORE_EXPIRY_MS = 10 * 60_000;

/** StreamAlert's RoleSessionName: CloudTrail in the role's account shows who assumed it. */
export const ROLE_SESSION_NAME = 'streamalert_alert_processor';

/**
 * The temporary credentials of one IAM role, assumed with STS AssumeRole and kept until shortly
 * before they expire. One instance per role and client set (`assumedRole`), so every output and
 * every rebuild of one shares them. https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
 */
export class AssumedRole {
  readonly roleArn: string;
  readonly #aws: AwsClients;
  readonly #now: () => number;
  #current: (AwsCredentials & { expiration: Date }) | undefined;
  #pending: Promise<AwsCredentials> | undefined;

  constructor(aws: AwsClients, roleArn: string, now: () => number = Date.now) {
    this.#aws = aws;
    this.roleArn = roleArn;
    this.#now = now;
  }

  /**
   * The role's credentials: the kept ones while they have more than RENEW_BEFORE_EXPIRY_MS to
   * run, else new ones from AssumeRole under `signal`. Concurrent callers share one AssumeRole.
   * Throws what the STS call throws (classify it with classifyAwsError).
   */
  async credentials(signal?: AbortSignal): Promise<AwsCredentials> {
    const current = this.#current;
    if (current && current.expiration.getTime() - RENEW_BEFORE_EXPIRY_MS > this.#now()) return current;
    this.#pending ??= this.#assume(signal).finally(() => {
      this.#pending = undefined;
    });
    return this.#pending;
  }

  /** The identity for AwsClients.client: clients keyed by the role, signing with its credentials. */
  get identity(): ClientIdentity {
    return { name: `role ${this.roleArn}`, credentials: () => this.credentials() };
  }

  async #assume(signal: AbortSignal | undefined): Promise<AwsCredentials> {
    const { AssumeRoleCommand, STSClient } = await import('@aws-sdk/client-sts');
    const sts = await this.#aws.client('sts', async () => STSClient);
    const assume = new AssumeRoleCommand({ RoleArn: this.roleArn, RoleSessionName: ROLE_SESSION_NAME });
    const { Credentials: issued } = await this.#aws.call((abortSignal) => sts.send(assume, { abortSignal }), signal);
    if (!issued?.AccessKeyId || !issued.SecretAccessKey || !issued.Expiration) {
      throw new Error(`STS AssumeRole for ${this.roleArn} answered without credentials`);
    }
    this.#current = { accessKeyId: issued.AccessKeyId, secretAccessKey: issued.SecretAccessKey, sessionToken: issued.SessionToken, expiration: issued.Expiration };
    return this.#current;
  }
}

/** An IAM role ARN (arn:aws:iam::210987654321:role/path/name), the RoleArn AssumeRole takes. */
export function isRoleArn(value: string): boolean {
  return /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/.test(value);
}

const roles = new WeakMap<AwsClients, Map<string, AssumedRole>>();

/**
 * The AssumedRole of `roleArn` for this client set, made on first use: outputs built again on a
 * configuration reload keep the credentials already assumed.
 *
 * @example
 *   const role = assumedRole(context.aws, 'arn:aws:iam::210987654321:role/alert-invoker');
 *   await role.credentials(attempt.signal);
 *   const lambda = await context.aws.client('lambda', loadLambda, region, role.identity);
 */
export function assumedRole(aws: AwsClients, roleArn: string): AssumedRole {
  let byArn = roles.get(aws);
  if (!byArn) roles.set(aws, (byArn = new Map()));
  let role = byArn.get(roleArn);
  if (!role) byArn.set(roleArn, (role = new AssumedRole(aws, roleArn)));
  return role;
}
