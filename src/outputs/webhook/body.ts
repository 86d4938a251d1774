import type { Publication } from '../output.ts';
import { failed, type Failed } from '../result.ts';
import { escapingFor, renderTemplate, TemplateRenderError } from './template.ts';

/**
 * The largest body the webhook output sends. There is no vendor to document one: 1 MiB is what
 * common receivers accept by default (nginx's client_max_body_size), and a template's output is
 * bounded by it before it is built in full.
 */
export const MAX_BODY_BYTES = 1_048_576;

/**
 * The body for one alert: the alert document as JSON when there is no template, else the
 * template rendered over it. Over MAX_BODY_BYTES it fails as too_large (a rendered body cannot be
 * cut without breaking its syntax); a JSON content type whose template renders something that
 * is not JSON fails as config, since the receiver would refuse it on every retry.
 *
 * @example
 *   webhookBody({ rule_name: 'r' }, '{"text":"{{rule_name}}"}', 'application/json') // '{"text":"r"}'
 */
export function webhookBody(publication: Publication, template: string, contentType: string): string | Failed {
  const escaping = escapingFor(contentType);
  let body: string;
  try {
    body = template === '' ? JSON.stringify(publication) : renderTemplate(template, publication, escaping, MAX_BODY_BYTES);
  } catch (error) {
    if (error instanceof TemplateRenderError) return failed(error.tooLarge ? 'too_large' : 'config', error.message);
    return failed('config', `body_template could not be rendered for this alert: ${(error as Error).message}`);
  }
  const bytes = Buffer.byteLength(body);
  if (bytes > MAX_BODY_BYTES) return failed('too_large', `the body is ${bytes} bytes, over the ${MAX_BODY_BYTES} this output sends; use a body_template that leaves out the large fields`);
  if (template === '' || escaping !== 'json') return body;
  try {
    JSON.parse(body);
    return body;
  } catch {
    return failed('config', 'body_template did not render valid JSON for this alert, as content_type says it should: check its quotes and commas (a value inside quotes is "{{name}}"; {{{name}}} inserts a value as JSON)');
  }
}
