/**
 * The AWS resource names of the credential backends, fixed by DESIGN.md and derived from
 * `account.prefix` in conf/global.json.
 *
 * @example
 *   awsSecretsNames('acme') // { alias: 'alias/acme_streamalert_secrets', bucket: 'acme.streamalert.secrets', parameterRoot: '/acme/streamalert/outputs/' }
 */
export function awsSecretsNames(prefix: string): { alias: string; bucket: string; parameterRoot: string } {
  return {
    alias: `alias/${prefix}_streamalert_secrets`,
    bucket: `${prefix}.streamalert.secrets`,
    parameterRoot: `/${prefix}/streamalert/outputs/`,
  };
}

/** The KMS encryption context of one output's credentials: what binds a ciphertext to its owner. */
export function encryptionContext(key: { service: string; descriptor: string }): Record<string, string> {
  return { service: key.service, descriptor: key.descriptor };
}
