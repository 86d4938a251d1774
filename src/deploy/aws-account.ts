import { CliError, EXIT } from '../cli/errors.ts';

/**
 * The account the AWS SDK's credentials belong to (STS GetCallerIdentity), or a CliError saying
 * what is missing: deploying, diffing and destroying act on a real account; `--synth` needs none.
 */
export async function awsAccount(region: string, action: string): Promise<string> {
  const { GetCallerIdentityCommand, STSClient } = await import('@aws-sdk/client-sts');
  const sts = new STSClient({ region });
  try {
    const { Account } = await sts.send(new GetCallerIdentityCommand({}));
    return Account!;
  } catch (error) {
    const name = (error as { name?: string }).name ?? '';
    const said = (error as Error).message ?? String(error);
    const missing = name === 'CredentialsProviderError' || /credential/i.test(said);
    throw new CliError(
      missing
        ? `${action} needs AWS credentials and found none (${said}); set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run 'aws sso login'. 'streamalert deploy --synth' writes the templates without an account`
        : `${action}: AWS refused the credentials in ${region} (${name}: ${said}); check AWS_PROFILE and the session`,
      missing ? EXIT.usage : EXIT.failed,
    );
  } finally {
    sts.destroy();
  }
}
