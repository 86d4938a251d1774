import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadProject } from '../config/project.ts';
import '../outputs/builtin.ts';
import '../publishers/builtin.ts';
import { findPublisher } from '../publishers/publisher.ts';
import { CheckoutError, isFolder, LIMITS, listFiles, readBounded } from './checkout.ts';
import { importConf, type ServiceShapes } from './conf-import.ts';
import { resourcePropertyOf } from '../config/output-config.ts';
import { getService, serviceIds } from '../outputs/registry.ts';
import { portMatcherFile } from './matcher-port.ts';
import { PythonSyntaxError } from './python-tokens.ts';
import { readPythonModule, type PyModule } from './python-module.ts';
import { emptyReport, ProjectWriter, type ImportReport } from './report.ts';
import { isRuleDecorator, portRuleFile } from './rule-port.ts';

export interface ImportOptions {
  /** Outputs for rules that declare none (StreamAlert sent those only to its required firehose). */
  readonly defaultOutputs?: readonly string[];
  /** The output services here and their outputs.json shape (serviceShapes()). */
  readonly services: ServiceShapes;
}

/** The project's tsconfig.json when it has none: the one `streamalert init` writes. */
const PROJECT_TSCONFIG = join(import.meta.dirname, '..', '..', 'templates', 'tsconfig.json');

/**
 * Imports a StreamAlert checkout into a project folder: conf/ (see importConf), each rule file
 * as a TypeScript skeleton beside its test events (copied unchanged), each matchers file as
 * matcher skeletons. Never overwrites a file and never runs the checkout's Python: it is read as
 * text. Throws a CheckoutError when `checkout` is not a StreamAlert checkout.
 *
 * @example
 *   const report = importStreamAlert('/src/streamalert', '/srv/detections');
 *   report.written  // ['conf/outputs.json', 'conf/global.json', 'rules/community/duo/duo_fraud.ts', ...]
 */
export function importStreamAlert(checkout: string, projectDir: string, options: ImportOptions): ImportReport {
  if (!isFolder(checkout)) throw new CheckoutError(`${checkout} is not a folder`);
  if (!isFolder(join(checkout, 'conf')) && !isFolder(join(checkout, 'rules'))) throw new CheckoutError(`${checkout} has neither conf/ nor rules/: pass the root of a StreamAlert checkout`);
  const report = emptyReport();
  const writer = new ProjectWriter(projectDir, report);
  const { services } = options;
  const locations = importConf(checkout, writer, report, services);
  const skip = (path: string, why: string) => report.notCarried.push(`${path}: ${why}`);

  const matcherModules: string[] = [];
  for (const location of locations.matcherLocations) {
    if (!isFolder(join(checkout, location))) continue;
    for (const path of listFiles(checkout, location, skip)) {
      if (!path.endsWith('.py') || path.endsWith('__init__.py')) continue;
      const module = readModule(checkout, path, report);
      if (module === undefined) continue;
      matcherModules.push(modulePath(path));
      const port = portMatcherFile(module, path);
      if (port.text !== undefined) writer.place(targetPath(path, location, 'matchers').replace(/\.py$/, '.ts'), port.text, 'written');
    }
  }

  for (const location of locations.ruleLocations) {
    if (!isFolder(join(checkout, location))) continue;
    for (const path of listFiles(checkout, location, skip)) importRuleLocationFile(checkout, path, location, writer, report, {
      services: new Set(services.keys()),
      isPublisher: (name) => findPublisher(name) !== undefined,
      matcherModules,
      defaultOutputs: options.defaultOutputs ?? [],
      modulePath: modulePath(path),
    });
  }

  for (const location of locations.publisherLocations) {
    if (!isFolder(join(checkout, location))) continue;
    for (const path of listFiles(checkout, location, skip)) {
      if (!path.endsWith('.py') || path.endsWith('__init__.py')) continue;
      const module = readModule(checkout, path, report);
      if (module === undefined) continue;
      const names = [...module.functions.map((fn) => fn.name), ...module.classes.map((cls) => cls.name)].filter((name) => !name.startsWith('_')).map((name) => `${modulePath(path)}.${name}`);
      const missing = names.filter((name) => findPublisher(name) === undefined);
      if (missing.length > 0) report.notCarried.push(`${path}: ${missing.join(', ')}: not built in: port each with publisher('NAME', fn, { aliases: ['${missing[0]}'] }) in publishers/ (docs/publishers.md)`);
    }
  }

  ensureProjectFiles(projectDir, writer, report);
  try {
    loadProject(projectDir);
  } catch (error) {
    report.projectProblems.push((error as Error).message);
  }
  return report;
}

function importRuleLocationFile(checkout: string, path: string, location: string, writer: ProjectWriter, report: ImportReport, context: Parameters<typeof portRuleFile>[2]): void {
  const target = targetPath(path, location, 'rules');
  if (path.split('/').includes('test_fixtures')) {
    report.notCarried.push(`${path}: StreamAlert 2's shared test fixtures: put the data in each test event's "test_fixtures" (docs/rules.md#test-events)`);
    return;
  }
  if (path.endsWith('.json')) {
    const read = readBounded(checkout, path, LIMITS.maxJsonBytes);
    if ('problem' in read) report.unparsed.push(`${path}: ${read.problem}; not copied`);
    else writer.place(target, readFileSync(join(checkout, path)), 'copied');
    return;
  }
  if (!path.endsWith('.py')) {
    if (!path.endsWith('.pyc')) report.notCarried.push(`${path}: not a rule or test event file; not copied`);
    return;
  }
  if (path.endsWith('/__init__.py')) return;
  if (path.endsWith('/helpers/base.py')) {
    report.notCarried.push(`${path}: built in: import { inNetwork, getKeys, ... } from 'streamalert' (docs/rules.md#helpers)`);
    return;
  }
  const module = readModule(checkout, path, report);
  if (module === undefined) return;
  const port = portRuleFile(module, path, context);
  report.unparsed.push(...port.problems.map((note) => `${path}:${note.line}: ${note.message}; no skeleton written`));
  report.toPort.push(...port.notes.map((note) => `${path}:${note.line}: ${note.message}`));
  if (port.text === undefined) {
    if (!module.functions.some((fn) => fn.decorators.some(isRuleDecorator))) report.notCarried.push(`${path}: no @rule in it: port by hand what the rules use of it`);
    return;
  }
  if (writer.place(target.replace(/\.py$/, '.ts'), port.text, 'written')) report.withoutOutputs.push(...port.withoutOutputs);
}

/** A Python file's top level, or undefined with the reason in the report. */
function readModule(checkout: string, path: string, report: ImportReport): PyModule | undefined {
  const read = readBounded(checkout, path, LIMITS.maxPythonBytes);
  if ('problem' in read) {
    report.unparsed.push(`${path}: ${read.problem}; not read`);
    return undefined;
  }
  try {
    return readPythonModule(read.text);
  } catch (error) {
    if (!(error instanceof PythonSyntaxError)) throw error;
    report.unparsed.push(`${path}:${error.line}: ${error.message}; not read`);
    return undefined;
  }
}

/** Where a file of a code location goes: `rules/a.py` stays `rules/a.py`; another location L goes under `rules/L/`. */
function targetPath(path: string, location: string, folder: string): string {
  return location === folder ? path : `${folder}/${path}`;
}

/** `rules/community/duo/duo_fraud.py` -> `rules.community.duo.duo_fraud`, the name Python imports it by. */
function modulePath(path: string): string {
  return path.replace(/\.py$/, '').split('/').join('.');
}

/** Rule files are ES modules type-checked against the package: a project needs "type": "module" and a tsconfig.json. */
function ensureProjectFiles(dir: string, writer: ProjectWriter, report: ImportReport): void {
  const manifest = join(dir, 'package.json');
  if (!existsSync(manifest)) writer.place('package.json', `${JSON.stringify({ private: true, type: 'module' }, null, 2)}\n`, 'written');
  else {
    let type: unknown;
    try {
      type = (JSON.parse(readFileSync(manifest, 'utf8')) as { type?: unknown }).type;
    } catch {
      type = undefined;
    }
    if (type !== 'module') report.projectProblems.push('package.json does not say "type": "module", and rule files are ES modules: streamalert init --bare sets it (keeping everything else)');
  }
  if (!existsSync(join(dir, 'tsconfig.json'))) writer.place('tsconfig.json', readFileSync(PROJECT_TSCONFIG), 'written');
}

export { CheckoutError };

/**
 * Every output service here with its conf/outputs.json shape; the built-in services must be
 * loaded first (loadServices).
 */
export function serviceShapes(): ServiceShapes {
  return new Map(serviceIds().map((id) => [id, resourcePropertyOf(getService(id)) === undefined ? 'list' : 'resource'] as const));
}
