/// <reference types="vite/client" />
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toAlertDocument, type Alert } from '../../src/alerts/alert.ts';
import { testAlert } from '../../src/alerts/test-alert.ts';
import { getService, serviceIds } from '../../src/outputs/registry.ts';
import type { DispatchResult } from '../../src/outputs/result.ts';
import { EXPECTED, MODES, type Harness, type Mode, type ServiceContract } from '../support/contract.ts';
import { noMoto } from '../support/moto.ts';
import { expectNoSecrets, secretRenderings } from '../support/no-secrets.ts';
import { sampleAlert } from '../support/outputs.ts';

// Every output service passes this one suite (see test/support/contract.ts): a new service is
// one class, one line in src/outputs/builtin.ts and one contract file in ./contract/.
const contracts = Object.entries(import.meta.glob<{ default: ServiceContract }>('./contract/*.contract.ts', { eager: true })).map(([file, module]) => {
  expect(file, 'a contract file is named after its service').toBe(`./contract/${module.default.service}.contract.ts`);
  return module.default;
});

describe('the output contract suite', () => {
  it('has one contract for every registered service, and none for a service that is not', () => {
    expect(contracts.map((contract) => contract.service).sort()).toEqual(serviceIds());
  });

  it.each(contracts.map((contract) => [contract.service, contract] as const))('%s cites its vendor documentation, says how a retry behaves, and excuses a mode only with a reason', (_, contract) => {
    expect(contract.docs.length).toBeGreaterThan(0);
    for (const url of contract.docs) expect(url).toMatch(/^https:\/\/\S+$/);
    expect(contract.idempotency.length).toBeGreaterThan(20);
    for (const [mode, reason] of Object.entries(contract.excused ?? {})) {
      expect(MODES).toContain(mode);
      expect(reason.length, `${contract.service} excuses ${mode}`).toBeGreaterThan(10);
    }
  });

  it.each(contracts.map((contract) => [contract.service] as const))('%s declares its limits: a message size and what happens over it, with the source', (service) => {
    const { limits } = getService(service);
    expect(limits.message, `${service} declares limits.message`).toBeDefined();
    expect(limits.message!.max).toBeGreaterThan(0);
    expect(['truncated', 'split', 'failed']).toContain(limits.message!.over);
    if (limits.rate) {
      expect(limits.rate.perSecond).toBeGreaterThan(0);
      expect(limits.rate.burst).toBeGreaterThanOrEqual(1);
    }
  });
});

for (const contract of contracts) {
  describe.skipIf(contract.needsMoto && noMoto)(`${contract.service} contract (${contract.docs[0]})`, () => {
    let harness: Harness;
    beforeAll(async () => {
      harness = await contract.harness();
    });
    afterAll(() => harness?.close());

    const dispatch = async (mode: Mode, alert: Alert): Promise<DispatchResult> => {
      const output = await harness.output(mode);
      return output.attempt(alert, toAlertDocument(alert));
    };
    const secretForms = () => harness.secrets.flatMap(secretRenderings);
    // A rule's alert, with the context the service acts on when it needs one (carbonblack's ban).
    const ruleAlert = (fields: Parameters<typeof sampleAlert>[0] = {}) => sampleAlert({ ...(contract.alertContext ? { context: contract.alertContext } : {}), ...fields });

    it.each([
      ['an alert', () => ruleAlert({ outputs: [`${contract.service}:contract`] })],
      ['the test alert of `output test`', () => testAlert(`${contract.service}:contract`)],
    ])('delivers %s in the documented format', async (_, make) => {
      const alert = make();
      const result = await dispatch('ok', alert);
      expect(result).toMatchObject({ kind: 'delivered' });
      await harness.check(alert, toAlertDocument(alert));
      expectNoSecrets(secretForms(), result);
    });

    const modes = MODES.filter((mode): mode is Exclude<Mode, 'ok'> => mode !== 'ok' && !contract.excused?.[mode]);
    it.each(modes)('answers %s as the status table says, and no credential survives into the result', async (mode) => {
      const result = await dispatch(mode, ruleAlert());
      expect(result).toMatchObject(EXPECTED[mode]);
      if (mode === 'rate_limited' && harness.retryAfterMs !== undefined) expect(result).toMatchObject({ retryAfterMs: harness.retryAfterMs });
      expect(result.kind !== 'delivered' && result.message.length).toBeGreaterThan(10);
      expectNoSecrets(secretForms(), result);
    });

    it('delivers an alert with a huge record within its declared limits, or fails it as too_large as declared', async () => {
      const record = Object.fromEntries(Array.from({ length: 4_000 }, (_, i) => [`field_${i}`, 'v'.repeat(250)]));
      const alert = ruleAlert({ record });
      const result = await dispatch('ok', alert);
      const { max = 0, unit, over } = getService(contract.service).limits.message ?? {};
      // Failing is declared only over the limit: a service whose limit is larger (S3's 5 GB) delivers it.
      const document = JSON.stringify(toAlertDocument(alert));
      const tooLarge = over === 'failed' && (unit === 'bytes' ? Buffer.byteLength(document) : document.length) > max;
      expect(result).toMatchObject(tooLarge ? { kind: 'failed', reason: 'too_large' } : { kind: 'delivered' });
    });
  });
}
