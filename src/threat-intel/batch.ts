import type { Classifier } from '../classifier/classifier.ts';
import { cloneJson } from '../classifier/record.ts';
import type { InputRecord } from '../input/splitters.ts';
import { normalizationOf } from '../normalization/config.ts';
import { normalizeRecord } from '../normalization/normalize.ts';
import { fetchValuesByDatatype } from '../normalization/record.ts';
import { NORMALIZATION_KEY } from '../normalization/types.ts';
import { candidatesOf, type Candidate, type ThreatIntel } from './threat-intel.ts';

/**
 * The values a batch of input holds that threat intel will check, found before the rules run so
 * that DynamoDB can be asked about them all at once (StreamAlert queries the batch's values
 * before its rules run too). The batch is classified here on a copy, which the pipeline then
 * classifies again for the rules: that second pass is the cost of asking DynamoDB per batch
 * rather than per record, and only a project with a DynamoDB IOC table pays it.
 *
 * @example
 *   await intel.fetch(batchCandidates(batch, pipeline.classifier, intel));
 */
export function* batchCandidates(items: readonly InputRecord[], classifier: Classifier, intel: ThreatIntel): Generator<Candidate> {
  for (const item of items) {
    if (item.error !== undefined) continue;
    for (const { schema, record } of classifier.classify(cloneJson(item.value)).classified) {
      const spec = normalizationOf(schema);
      if (spec === undefined) continue;
      const normalized = { [NORMALIZATION_KEY]: normalizeRecord(record, spec) };
      yield* candidatesOf((type) => fetchValuesByDatatype(normalized, type), intel.mapping, intel.exclusions);
    }
  }
}
