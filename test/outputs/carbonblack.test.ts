import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { toAlertDocument, type JsonObject } from '../../src/alerts/alert.ts';
import { testAlert } from '../../src/alerts/test-alert.ts';
import { loadProject } from '../../src/config/project.ts';
import { Pipeline } from '../../src/pipeline/pipeline.ts';
import { Secret } from '../../src/secrets/secret.ts';
import { LoopbackReceiver } from '../support/receiver.ts';
import { makeOutput, sampleAlert, testContext } from '../support/outputs.ts';
import { OUTPUTS, SCHEMAS, tempProject } from '../support/rules-project.ts';

// CB Response banning: https://github.com/carbonblack/cbapi-python/blob/master/docs/response-examples.rst
const context = testContext();
const TOKEN = '9d2f4c1ab37e5f60a8b9c0d1e2f3a4b5c6d7e8f9';
const MD5 = '7fb55f5a62e78af9b58d08aaeeaef848';

describe('CarbonBlack output against a loopback CB Response', () => {
  let cb: LoopbackReceiver;
  beforeAll(async () => {
    cb = await LoopbackReceiver.start();
  });
  afterAll(() => cb.close());
  beforeEach(() => {
    cb.requests.length = 0;
  });
  const output = () => makeOutput(context, 'carbonblack', { url: new Secret(cb.url), token: new Secret(TOKEN) }, 'edr');
  const dispatch = (alertContext: JsonObject) => {
    const alert = sampleAlert({ context: alertContext });
    return output().dispatch(alert, toAlertDocument(alert));
  };

  it.each([
    ['no context', {}, /has no carbonblack context: a rule sending to carbonblack must set context.carbonblack = \{ action: 'ban'/],
    ['another action', { carbonblack: { action: 'isolate', value: MD5 } }, /action of rule cloudtrail_root_account_usage is "isolate": the only action supported is 'ban'/],
    ['a value that is no MD5', { carbonblack: { action: 'ban', value: 'notepad.exe' } }, /value of rule cloudtrail_root_account_usage is not the MD5 of a binary/],
  ])('fails an alert with %s as config, sending nothing', async (_, alertContext, message) => {
    const result = await dispatch(alertContext);
    expect(result).toMatchObject({ kind: 'failed', reason: 'config' });
    expect(result.kind === 'failed' && result.message).toMatch(message);
    expect(cb.requests).toHaveLength(0);
  });

  it('bans the hash in lower case, and says so', async () => {
    cb.script({ status: 200, body: { result: 'success' } });
    expect(await dispatch({ carbonblack: { action: 'ban', value: MD5.toUpperCase() } })).toEqual({ kind: 'delivered', reference: 'banned' });
    expect(cb.requests[0]!.json).toMatchObject({ md5hash: MD5, enabled: true });
  });

  it('counts a hash banned already (409 Conflict) as delivered: a retry never fails on its own first attempt', async () => {
    cb.script({ status: 409, body: 'Banned hash already exists' });
    expect(await dispatch({ carbonblack: { action: 'ban', value: MD5 } })).toEqual({ kind: 'delivered', reference: 'already banned' });
  });

  it('checks the server and token for the test alert of `output test`, banning nothing', async () => {
    cb.script({ status: 401, body: 'Unauthorized' });
    const alert = testAlert('carbonblack:edr');
    expect(await output().dispatch(alert, toAlertDocument(alert))).toMatchObject({ kind: 'failed', reason: 'auth' });
    expect(cb.requests.map((request) => `${request.method} ${request.path}`)).toEqual(['GET /api/info']);
  });

  it("bans what a rule's context names: the rule fills in the hash from the record it matched", async () => {
    const dir = tempProject({
      ...SCHEMAS,
      ...OUTPUTS,
      'rules/ban.ts':
        "import { rule } from 'streamalert';\n" +
        `export const ban_bad_binary = rule(
          { logs: ['github:audit'], outputs: ['slack:sec-alerts'], context: { carbonblack: { action: 'ban', value: '' } } },
          (rec, context) => { context.carbonblack.value = rec.actor; return rec.action === 'binary.seen'; },
        );\n`,
    });
    const pipeline = await Pipeline.load(loadProject(dir), { source: { service: 'file', entity: 'events.ndjson' } });
    const [alert] = pipeline.process({ action: 'binary.seen', actor: MD5, created_at: 1 });
    cb.script({ status: 200, body: { result: 'success' } });
    expect(await output().dispatch(alert!, toAlertDocument(alert!))).toMatchObject({ kind: 'delivered' });
    expect(cb.requests[0]!.json).toMatchObject({ md5hash: MD5 });
  });
});
