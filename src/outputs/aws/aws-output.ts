import { OutputBase } from '../output.ts';

/**
 * The base of AWS outputs (the seed's AWSOutput). Their one configured value is an AWS
 * resource (a bucket, a function) that lives in `conf/outputs.json` as descriptor -> resource,
 * StreamAlert's shape, rather than with the credentials: AWS access comes from the SDK's
 * credential chain, so nothing here is secret.
 */
export abstract class AwsOutput extends OutputBase {
  /** Which property holds the resource value written to conf/outputs.json. */
  static readonly resourceProperty: string = 'aws_value';

  /** The configured resource: bucket name, function name, name:qualifier or ARN. */
  protected get resource(): string {
    return this.setting((this.constructor as typeof AwsOutput).resourceProperty);
  }
}
