import './builtin.ts';

export { OutputBase, type Attempt, type OutputContext, type OutputSettings, type Publication } from './output.ts';
export { AwsOutput } from './aws/aws-output.ts';
export { property, checkPropertyValue, type OutputProperty, type OutputProperties } from './property.ts';
export { output, getService, serviceIds, createOutput, descriptorProperty, type OutputClass } from './registry.ts';
export { delivered, retry, failed, FAILURE_REASONS, type DispatchResult, type FailureReason } from './result.ts';
export { HttpClient, type HttpRequest, type HttpResponse, type HttpOutcome } from './http/client.ts';
export { JsonWebhookOutput, type WebhookRequest } from './http/json-webhook.ts';
export type { ServiceLimits, RateLimit } from './limits.ts';
export { classifyAwsError } from '../aws/classify.ts';
export { createOutputContext } from './context.ts';
export * from './errors.ts';
