import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Architecture, Code, FilterCriteria, FilterRule, Function as LambdaFn, Runtime, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { DeadLetters } from './dead-letters.ts';
import type { FunctionCode } from './function-code.ts';
import { FUNCTIONS, type FunctionRole } from './names.ts';

/** Lambda's names for the functions: StreamAlert's `<prefix>_streamalert_<function>`. */
const FUNCTION_NAMES: Record<FunctionRole, string> = {
  rulesEngine: 'rules_engine',
  alertStreamProcessor: 'alert_processor',
  alertSweeper: 'alert_sweeper',
};

/**
 * The three functions, each with its own role (granted by the other constructs) and log group:
 * the rules engine (its triggers are added by Inputs), the alert processor on the alerts table's
 * stream (new alerts' deliveries at once), and the sweeper every minute (retries that fall due,
 * deliveries whose claim expired). Failed asynchronous invocations and stream batches land in the
 * dead-letter queues.
 */
export class Functions extends Construct {
  readonly rulesEngine: LambdaFn;
  readonly alertStreamProcessor: LambdaFn;
  readonly alertSweeper: LambdaFn;

  constructor(scope: Construct, id: string, props: { prefix: string; code: Record<FunctionRole, FunctionCode>; table: TableV2; deadLetters: DeadLetters }) {
    super(scope, id);
    const { prefix, code, table, deadLetters } = props;
    const make = (role: FunctionRole, failures?: SqsDestination): LambdaFn => {
      const functionName = `${prefix}_streamalert_${FUNCTION_NAMES[role]}`;
      const logGroup = new LogGroup(this, `${role}Logs`, { logGroupName: `/aws/lambda/${functionName}`, retention: RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.RETAIN });
      // A role of our own rather than CDK's default, which carries AWSLambdaBasicExecutionRole (logs on every log group).
      const executionRole = new Role(this, `${role}Role`, { assumedBy: new ServicePrincipal('lambda.amazonaws.com'), description: `${functionName}: its log group, the alerts table, and what its inputs or outputs name` });
      logGroup.grantWrite(executionRole);
      const fn = new LambdaFn(this, role, {
        functionName,
        role: executionRole,
        runtime: Runtime.NODEJS_22_X,
        // The bundle is JavaScript only (no native addon): Graviton's GB-second costs 20% less.
        architecture: Architecture.ARM_64,
        code: Code.fromAsset(code[role].dir),
        handler: code[role].handler,
        memorySize: FUNCTIONS[role].memoryMb,
        timeout: Duration.seconds(FUNCTIONS[role].timeoutSeconds),
        environment: { STREAMALERT_PROJECT: code[role].projectDir },
        logGroup,
        ...(failures ? { onFailure: failures, retryAttempts: 2 } : {}),
      });
      // Claims, results and merges: each function reads and writes the alerts table and its index, nothing more.
      table.grantReadWriteData(fn);
      return fn;
    };
    // SNS invokes the rules engine, and EventBridge the sweeper, asynchronously: what fails twice goes to the dead letters.
    this.rulesEngine = make('rulesEngine', new SqsDestination(deadLetters.rulesEngine));
    this.alertStreamProcessor = make('alertStreamProcessor');
    this.alertSweeper = make('alertSweeper', new SqsDestination(deadLetters.alertProcessors));

    this.alertStreamProcessor.addEventSource(
      new DynamoEventSource(table, {
        startingPosition: StartingPosition.LATEST,
        batchSize: 100,
        reportBatchItemFailures: true,
        bisectBatchOnError: true,
        // A batch that keeps failing is left to the sweeper (the deliveries stay pending in the table).
        retryAttempts: 3,
        onFailure: new SqsDlq(deadLetters.alertProcessors),
        // New items only: a new alert's deliveries; updates (claims, results) would re-trigger on every attempt.
        filters: [FilterCriteria.filter({ eventName: FilterRule.isEqual('INSERT') })],
      }),
    );
    new Rule(this, 'EveryMinute', {
      description: `Runs ${prefix}'s alert sweeper: deliveries whose retry fell due`,
      schedule: Schedule.rate(Duration.minutes(1)),
      targets: [new LambdaFunction(this.alertSweeper, { deadLetterQueue: deadLetters.alertProcessors, retryAttempts: 2, maxEventAge: Duration.minutes(5) })],
    });
  }

  /** The functions that deliver alerts, so read credentials and write to outputs. */
  get deliverers(): LambdaFn[] {
    return [this.alertStreamProcessor, this.alertSweeper];
  }

  get all(): LambdaFn[] {
    return [this.rulesEngine, this.alertStreamProcessor, this.alertSweeper];
  }
}
