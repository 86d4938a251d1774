import { createRequire } from 'node:module';
import { CliError, EXIT } from './errors.ts';

/**
 * What `deploy` and `destroy` need beside this package: the AWS CDK and its toolkit library.
 * They are optional peer dependencies (about 200 MB that an embedded project never uses),
 * installed into the project by whoever deploys.
 */
export const DEPLOY_PACKAGES = ['aws-cdk-lib', 'constructs', '@aws-cdk/toolkit-lib'] as const;

/**
 * Throws a CliError naming the install command when a deploy package cannot be found from here
 * (the project's node_modules, beside this package).
 *
 * @example
 *   requireDeployTooling('streamalert deploy --synth');
 */
export function requireDeployTooling(command: string): void {
  const require = createRequire(import.meta.url);
  const missing = DEPLOY_PACKAGES.filter((name) => {
    try {
      require.resolve(name);
      return false;
    } catch (error) {
      // A package that exports only `import` is installed all the same.
      return (error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND';
    }
  });
  if (missing.length === 0) return;
  throw new CliError(
    `${command} needs the AWS CDK, which is not installed with streamalert (it is about 200 MB an embedded project never uses); ` +
      `install it in the project: npm install --save-dev ${DEPLOY_PACKAGES.join(' ')} (missing: ${missing.join(', ')})`,
    EXIT.usage,
  );
}
