import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { toAlertDocument } from '../../src/alerts/alert.ts';
import { OutputConfigError } from '../../src/outputs/errors.ts';
import { checkPropertyValue } from '../../src/outputs/property.ts';
import { getService } from '../../src/outputs/registry.ts';
import { Secret } from '../../src/secrets/secret.ts';
import { MAX_BODY_BYTES } from '../../src/outputs/webhook/body.ts';
import { renderTemplate, TEMPLATE_LIMITS } from '../../src/outputs/webhook/template.ts';
import { LoopbackReceiver } from '../support/receiver.ts';
import { expectNoSecrets } from '../support/no-secrets.ts';
import { makeOutput, sampleAlert, testContext } from '../support/outputs.ts';

// The wire format (default body, headers, signature) is the contract's
// (test/outputs/contract/webhook.contract.ts); this file covers templates, their escaping and
// bounds, and the checks that make a bad value fail at `output new`.
const context = testContext();
const { properties } = getService('webhook');
const check = (name: string, value: string) => checkPropertyValue(name, properties[name]!, value);

describe('webhook properties, checked when the output is configured', () => {
  it.each([
    ['{"Authorization":"Bearer abc"', /must be a JSON object/],
    ['["Authorization"]', /must be a JSON object/],
    ['{"Host":"evil.example"}', /may not set Host: it comes from url/],
    ['{"Content-Length":"1"}', /may not set Content-Length/],
    ['{"Content-Type":"text/plain"}', /use the content_type property/],
    ['{"X-StreamAlert-Signature":"sha256=0"}', /hmac_secret/],
    ['{"X-Token":"abc\\r\\nX-Injected: 1"}', /without line breaks/],
    ['{"X-Count":3}', /a string value/],
    ['{"Bad Name":"x"}', /not a valid HTTP header name/],
    [JSON.stringify(Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`X-H${i}`, 'v']))), /at most 32 headers/],
  ])('refuses headers %s, naming the property but never the value', (value, problem) => {
    const message = check('headers', value);
    expect(message).toMatch(/^headers /);
    expect(message).toMatch(problem);
    expect(message).not.toContain('abc');
  });

  it('accepts a headers object of strings, and none at all', () => {
    expect(check('headers', '{"Authorization":"Bearer abc: def","X-Source":"streamalert"}')).toBeUndefined();
    expect(check('headers', '')).toBeUndefined();
  });

  it.each([
    ['{"text":"{{rule_name}"}', /is not a valid Mustache template: Unclosed tag/],
    ['{{#record}}{{host}}', /is not a valid Mustache template: Unclosed section "record"/],
    ['{"text":"{{> other}}"}', /may not use partials/],
    ['x'.repeat(TEMPLATE_LIMITS.templateChars + 1), /at most 16384 characters/],
  ])('refuses the body_template %s', (value, problem) => {
    expect(check('body_template', value)).toMatch(problem);
  });

  it('refuses a content type that is not a media type, and takes one with parameters', () => {
    expect(check('content_type', 'json')).toMatch(/must be a media type/);
    expect(check('content_type', 'text/plain\r\nX-Injected: 1')).toMatch(/must be a media type/);
    expect(check('content_type', 'text/plain; charset=utf-8')).toBeUndefined();
  });

  it('fails a configuration with a bad template when the output is built, before any alert is sent', () => {
    expect(() => makeOutput(context, 'webhook', { url: new Secret('https://example.com/hook'), body_template: '{{#a}}' })).toThrow(OutputConfigError);
    expect(() => makeOutput(context, 'webhook', { url: new Secret('https://example.com/hook'), body_template: '{{#a}}' })).toThrow(/body_template is not a valid Mustache template/);
  });
});

describe('webhook body templates', () => {
  const view = { rule_name: 'r"1', record: { host: 'web-1', cmd: 'echo "hi"\n</script>', count: 3, tags: ['a', 'b'] } };

  it('escapes {{x}} for a JSON string and inserts {{{x}}} as a JSON literal, so no value breaks the JSON', () => {
    const body = renderTemplate('{"text":"{{rule_name}} ran {{record.cmd}}","record":{{{record}}},"name":{{{rule_name}}},"n":{{record.count}}}', view, 'json', 10_000);
    expect(JSON.parse(body)).toEqual({ text: 'r"1 ran echo "hi"\n</script>', record: view.record, name: 'r"1', n: 3 });
  });

  it('HTML-escapes for markup, percent-encodes for a form, and leaves plain text as it is', () => {
    expect(renderTemplate('<p>{{record.cmd}}</p>', view, 'markup', 1000)).toBe('<p>echo &quot;hi&quot;\n&lt;&#x2F;script&gt;</p>');
    expect(renderTemplate('rule={{rule_name}}&host={{record.host}}', view, 'form', 1000)).toBe('rule=r%221&host=web-1');
    expect(renderTemplate('{{rule_name}}: {{record.tags}}', view, 'none', 1000)).toBe('r"1: ["a","b"]');
  });

  it('iterates sections over lists and renders what is missing as nothing', () => {
    expect(renderTemplate('{{#record.tags}}[{{.}}]{{/record.tags}}{{record.nope}}{{^record.nope}}!{{/record.nope}}', view, 'none', 1000)).toBe('[a][b]!');
  });

  it('reaches no prototype: constructor, __proto__ and list methods are not there', () => {
    const template = '{{constructor}}|{{__proto__}}|{{record.constructor.constructor}}|{{#record.tags.map}}x{{/record.tags.map}}|{{record.tags.length}}';
    expect(renderTemplate(template, view, 'none', 1000)).toBe('||||2');
  });
});

describe('webhook output against a loopback receiver', () => {
  let receiver: LoopbackReceiver;
  beforeAll(async () => {
    receiver = await LoopbackReceiver.start();
  });
  afterAll(() => receiver.close());
  beforeEach(() => {
    receiver.requests.length = 0;
  });

  const send = (values: Record<string, string | Secret>, alert = sampleAlert()) =>
    makeOutput(context, 'webhook', { url: new Secret(`${receiver.url}/in`), ...values }).dispatch(alert, toAlertDocument(alert));

  it('PUTs a rendered text body with its content type, and no signature headers without a secret', async () => {
    receiver.script({ status: 204 });
    const result = await send({ method: 'PUT', content_type: 'text/plain; charset=utf-8', body_template: '{{rule_name}} on {{record.sourceIPAddress}}' });
    expect(result).toEqual({ kind: 'delivered' });
    const [request] = receiver.requests;
    expect(request).toMatchObject({ method: 'PUT', path: '/in', body: 'cloudtrail_root_account_usage on 203.0.113.7' });
    expect(request!.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(request!.headers['x-streamalert-signature']).toBeUndefined();
    expect(request!.headers['x-streamalert-timestamp']).toBeUndefined();
  });

  it('fails as config, sending nothing, when a JSON template renders something that is not JSON', async () => {
    const result = await send({ body_template: '{"count": {{record.missing}} }' });
    expect(result).toMatchObject({ kind: 'failed', reason: 'config', message: expect.stringMatching(/did not render valid JSON/) });
    expect(receiver.requests).toHaveLength(0);
  });

  it('fails as too_large, sending nothing, when a template renders past the body limit', async () => {
    const record = { big: 'x'.repeat(MAX_BODY_BYTES / 2) };
    const result = await send({ body_template: '"{{record.big}}{{record.big}}{{record.big}}"' }, sampleAlert({ record }));
    expect(result).toMatchObject({ kind: 'failed', reason: 'too_large' });
    expect(receiver.requests).toHaveLength(0);
  });

  it('stops a template whose loops multiply past the render bound, however little they print', async () => {
    const record = { items: Array.from({ length: 100 }, (_, i) => i) };
    const nested = '{{#record.items}}{{#record.items}}{{#record.items}}{{/record.items}}{{/record.items}}{{/record.items}}';
    const result = await send({ content_type: 'text/plain', body_template: nested }, sampleAlert({ record }));
    expect(result).toMatchObject({ kind: 'failed', reason: 'config', message: expect.stringMatching(/steps to render/) });
    expect(receiver.requests).toHaveLength(0);
  });

  it("signs so that the docs' Node verifier accepts the request as received, and refuses it altered or stale", async () => {
    const docs = readFileSync(join(import.meta.dirname, '../../docs/outputs/webhook.md'), 'utf8');
    const snippet = /```js\n([\s\S]*?)```/.exec(docs)![1]!;
    const dir = mkdtempSync(join(tmpdir(), 'webhook-verify-'));
    try {
      writeFileSync(join(dir, 'verify.mjs'), snippet);
      const { verify } = (await import(pathToFileURL(join(dir, 'verify.mjs')).href)) as { verify: (secret: string, headers: object, body: Buffer, tolerance?: number) => boolean };
      expect(await send({ hmac_secret: new Secret('whsec_docs_example_1') })).toEqual({ kind: 'delivered' });
      const [request] = receiver.requests;
      const body = Buffer.from(request!.body);
      expect(verify('whsec_docs_example_1', request!.headers, body)).toBe(true);
      expect(verify('whsec_docs_example_2', request!.headers, body)).toBe(false);
      expect(verify('whsec_docs_example_1', request!.headers, Buffer.from(request!.body.replace('Root', 'User')))).toBe(false);
      const stale = { ...request!.headers, 'x-streamalert-timestamp': String(Number(request!.headers['x-streamalert-timestamp']) - 3600) };
      expect(verify('whsec_docs_example_1', stale, body)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps a header token out of a failure even when the server echoes it alone', async () => {
    const token = 'tok_9fK2mQx7Lp3Vz8Rw';
    receiver.script({ status: 403, body: `token ${token} is not allowed here` });
    const result = await send({ headers: new Secret(JSON.stringify({ Authorization: `Bearer ${token}` })) });
    expect(result).toMatchObject({ kind: 'failed', reason: 'auth' });
    expectNoSecrets([token], result);
  });
});
