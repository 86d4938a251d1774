import { SchemaError } from '../classifier/errors.ts';
import { loadSchemas, type LogSchema } from '../classifier/schema.ts';
import type { LoadProblem } from '../config/load-problem.ts';
import type { Project } from '../config/project.ts';
import { loadEnrichment, type Enrichment } from '../lookup-tables/enrichment.ts';
import { RuleLoadError } from '../rules/errors.ts';
import { loadRules, type LoadedRule } from '../rules/loader.ts';
import { routingOf } from '../routing/routing-config.ts';
import type { Routing } from '../routing/routing.ts';

/** What detection runs on: the log types and rules that loaded, and what did not. */
export interface Detection {
  readonly schemas: LogSchema[];
  readonly rules: LoadedRule[];
  /** Schema problems first, then rule problems, then lookup-table and threat-intel ones, each disabling only what it names. */
  readonly problems: LoadProblem[];
  /** Lookup tables and threat intel (conf/lookup_tables.json, conf/threat_intel.json), installed for rules. */
  readonly enrichment: Enrichment;
  /** Outputs by severity for rules that name none, and each output's minSeverity (conf/global.json, conf/output_settings.json). */
  readonly routing: Routing;
}

/**
 * Loads a project's conf/schemas and rules (with publishers/) as `run`, `serve`, `rules test`,
 * `alerts retry`, `output delete` and the Lambda rules engine use them: a problem disables only
 * the log type or rule it names, and rules on nothing but disabled log types go with them.
 * With `strict`, any problem is a ConfigError (SchemaError or RuleLoadError) naming every one.
 *
 * @example
 *   const { schemas, rules, problems } = await loadDetection(loadProject(dir));
 *   for (const problem of problems) console.error(`warning: ${problem.message}`);
 */
export async function loadDetection(project: Project, options: { strict?: boolean } = {}): Promise<Detection> {
  const { schemas, problems: schemaProblems } = loadSchemas(project.dir);
  const loaded = new Set(schemas.map((schema) => schema.name));
  const disabledLogTypes = new Map(
    schemaProblems.flatMap((problem) => (problem.name !== undefined && !loaded.has(problem.name) ? [[problem.name, problem.file] as const] : [])),
  );
  const { rules, problems: ruleProblems } = await loadRules({ dir: project.dir, schemas, outputs: project.outputs, disabledLogTypes });
  const enrichment = loadEnrichment(project);
  const problems = [...schemaProblems, ...ruleProblems, ...enrichment.problems];
  if (options.strict && problems[0]) {
    const Refusal = problems[0].kind === 'log-type' ? SchemaError : RuleLoadError;
    const count = `${problems.length} load problem${problems.length === 1 ? '' : 's'}`;
    throw new Refusal([...problems.map((problem) => problem.message), `${count}: --strict refuses to start (without it, only what each names is disabled)`].join('\n'));
  }
  return { schemas, rules, problems, enrichment, routing: routingOf(project) };
}
