import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { Project } from '../config/project.ts';
import { Alarms } from './alarms.ts';
import { AlertsTable } from './alerts-table.ts';
import { DeadLetters } from './dead-letters.ts';
import { deployableSecretsBackend } from './deployable.ts';
import type { FunctionCode } from './function-code.ts';
import { Functions } from './functions.ts';
import { Inputs } from './inputs.ts';
import type { FunctionRole } from './names.ts';
import { enrichmentStatements } from './enrichment-grants.ts';
import { grantOutputs } from './output-grants.ts';
import { OwnOutputResources } from './own-output-resources.ts';
import { ownOutputs } from './own-outputs.ts';
import { Secrets } from './secrets.ts';

export interface StreamAlertStackProps extends StackProps {
  readonly project: Project;
  readonly code: Record<FunctionRole, FunctionCode>;
}

/**
 * A project on AWS, from its conf/: the alerts table, the secrets, the three functions, the
 * inputs of `inputs`, the resources of the outputs `deploy.createOutputs` marks as ours, the
 * grants on the outputs of outputs.json (and the roles of
 * `deploy.assumeRoles`), the rules engine's reads of lookup tables and threat intel, dead letters
 * and alarms.
 */
export class StreamAlertStack extends Stack {
  constructor(scope: Construct, id: string, props: StreamAlertStackProps) {
    super(scope, id, props);
    const { global, outputs } = props.project;
    const prefix = global.account.prefix;
    const backend = deployableSecretsBackend(props.project);

    const table = new AlertsTable(this, 'Alerts', { prefix }).table;
    const secrets = new Secrets(this, 'Secrets', { prefix, backend });
    const deadLetters = new DeadLetters(this, 'DeadLetters', { prefix });
    const functions = new Functions(this, 'Functions', { prefix, code: props.code, table, deadLetters });
    new Inputs(this, 'Inputs', { prefix, inputs: global.inputs, rulesEngine: functions.rulesEngine, deadLetters });
    for (const fn of functions.deliverers) secrets.grantRead(fn.role!);
    // Outputs marked as ours are created here and granted below like any other.
    new OwnOutputResources(this, 'OwnOutputs', { prefix, outputs: ownOutputs(props.project) });
    grantOutputs(outputs, functions.deliverers.map((fn) => fn.role!), global.deploy.assumeRoles);
    for (const granted of enrichmentStatements(props.project.dir)) functions.rulesEngine.role!.addToPrincipalPolicy(granted);
    const alarms = new Alarms(this, 'Alarms', { prefix, deadLetterQueues: [deadLetters.rulesEngine, deadLetters.alertProcessors], functions: functions.all });

    new CfnOutput(this, 'AlertsTableName', { value: table.tableName });
    new CfnOutput(this, 'SecretsKeyAlias', { value: `alias/${prefix}_streamalert_secrets` });
    new CfnOutput(this, 'AlarmTopicArn', { description: 'Subscribe to it for the alarms', value: alarms.topic.topicArn });
    new CfnOutput(this, 'RulesEngineFunction', { value: functions.rulesEngine.functionName });
  }
}
