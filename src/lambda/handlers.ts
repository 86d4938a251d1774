import { GetObjectCommand } from '@aws-sdk/client-s3';
import { Readable } from 'node:stream';
import { loadProject, resolveProjectDir, type Project } from '../config/project.ts';
import { attemptDeadlineMs } from '../delivery/policy.ts';
import { openDeliverySession } from '../delivery/session.ts';
import { readRecordBatches } from '../input/reader.ts';
import { AwsClients } from '../aws/clients.ts';
import { loadProjectOutputs } from '../outputs/project-outputs.ts';
import { loadDetection } from '../pipeline/load.ts';
import { Pipeline, type PipelineParts } from '../pipeline/pipeline.ts';
import { alertSource } from '../pipeline/source.ts';
import type { AlertSource } from '../rules/engine.ts';
import { openAlertStore } from '../store/open.ts';
import '../outputs/builtin.ts';

/**
 * The AWS Lambda entry points: the same project, rules, outputs and stores as the CLI, with
 * DynamoDB as the alert store (set `"store": {"backend": "dynamodb"}`). The project folder is
 * packaged with the function; STREAMALERT_PROJECT names it (default: the current directory).
 *
 * - rulesEngine: S3 object notifications (CloudTrail files, .gz too) or a direct invocation
 *   `{ "log_type": "...", "records": [...] }` -> classifier -> rules -> alerts stored.
 * - alertProcessor: delivers what is due until the invocation's time is nearly up; run it on a
 *   schedule (every minute) so retries and the alerts of every rules engine go out.
 */

/** Loaded once per Lambda container, reused by every invocation. */
let loaded: Promise<{ project: Project; parts: PipelineParts; aws: AwsClients }> | undefined;

function project(): Promise<{ project: Project; parts: PipelineParts; aws: AwsClients }> {
  loaded ??= (async () => {
    const dir = resolveProjectDir();
    await loadProjectOutputs(dir);
    const project = loadProject(dir);
    // What did not load is logged and disabled; every other rule runs, as with the CLI.
    const detection = await loadDetection(project);
    for (const problem of detection.problems) console.warn(JSON.stringify({ loadProblem: problem }));
    const parts: PipelineParts = { ...detection, outputs: project.outputs, onEvent: (event) => console.warn(JSON.stringify(event)) };
    return { project, parts, aws: new AwsClients({ region: project.global.account.region }) };
  })();
  return loaded;
}

interface S3Notification {
  Records: { s3: { bucket: { name: string }; object: { key: string } } }[];
}

interface DirectInvocation {
  log_type?: string;
  records: unknown[];
}

export interface RulesEngineResult {
  read: number;
  classified: number;
  unclassified: number;
  alerts: number;
}

export async function rulesEngine(event: S3Notification | DirectInvocation): Promise<RulesEngineResult> {
  const { project: current, parts, aws } = await project();
  const store = await openAlertStore(current);
  const pipeline = new Pipeline({ ...parts, ...('log_type' in event && event.log_type ? { logType: event.log_type } : {}) });
  try {
    for (const { source, open } of inputsOf(event, aws)) {
      pipeline.source = source;
      for await (const batch of readRecordBatches(await open(), { ...current.global.input, textLines: pipeline.classifier.readsText })) {
        await pipeline.prepare(batch);
        const alerts = pipeline.processBatch(batch);
        if (alerts.length > 0) await store.save(alerts);
      }
    }
  } finally {
    store.close();
  }
  const { read, classified, unclassified, alerts } = pipeline.stats;
  return { read, classified, unclassified, alerts };
}

/** An input of an event: where it comes from (stamped on its alerts), and its bytes. */
interface EventInput {
  source: AlertSource;
  open: () => Promise<AsyncIterable<Buffer | string>>;
}

/** Each input of an event: an S3 object each (source `s3`, the bucket), or the records given (source `lambda`, the function). */
function inputsOf(event: S3Notification | DirectInvocation, aws: AwsClients): EventInput[] {
  if ('records' in event) {
    const source = alertSource('lambda', process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'direct invocation');
    return [{ source, open: async () => Readable.from([event.records.map((record) => JSON.stringify(record)).join('\n')]) }];
  }
  return event.Records.map(({ s3 }) => ({
    source: alertSource('s3', s3.bucket.name),
    open: async () => {
      // S3 notifications URL-encode the key, spaces as '+'.
      const key = decodeURIComponent(s3.object.key.replace(/\+/g, ' '));
      const object = await (await aws.s3()).send(new GetObjectCommand({ Bucket: s3.bucket.name, Key: key }));
      return object.Body as Readable;
    },
  }));
}

export interface AlertProcessorResult {
  deliveries: Record<string, { delivered: number; failed: number }>;
  pending: Record<string, number>;
}

/** The part of the Lambda context the alert processor uses. */
export interface InvocationContext {
  getRemainingTimeInMillis(): number;
}

/** Time kept back at the end of an invocation, past the last attempt's deadline, to record results and close. */
const CLOSE_MARGIN_MS = 5_000;

export async function alertProcessor(_event: unknown, context: InvocationContext): Promise<AlertProcessorResult> {
  const { project: current } = await project();
  const session = await openDeliverySession(current);
  try {
    // An attempt started just before the deadline may run its whole attempt deadline: keep that back.
    const reserveMs = attemptDeadlineMs(current.global.delivery) + CLOSE_MARGIN_MS;
    await session.engine.drain(Date.now() + Math.max(0, context.getRemainingTimeInMillis() - reserveMs));
    return {
      deliveries: Object.fromEntries([...session.engine.tallies].map(([name, { delivered, failed }]) => [name, { delivered, failed }])),
      pending: await session.store.pendingByOutput(),
    };
  } finally {
    await session.close();
  }
}
