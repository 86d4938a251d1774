import { existsSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import type ts from 'typescript';
import { ConfigError } from '../config/errors.ts';
import { moduleFiles } from '../config/module-files.ts';

/** The folders of a project that hold its own code, as the CLI loads them. */
export const CODE_FOLDERS = ['rules', 'matchers', 'publishers', 'outputs'] as const;

/** The compiler options of a project without a tsconfig.json: the one `streamalert init` writes. */
export const SCAFFOLD_TSCONFIG = join(import.meta.dirname, '..', '..', 'templates', 'tsconfig.json');

/**
 * What `import ... from 'streamalert'` means in the check: the declarations of the running copy.
 * Compiled (dist/rules/typecheck.js) that is dist/index.d.ts; from the sources, src/index.ts.
 */
const PACKAGE_ENTRY = [join(import.meta.dirname, '..', 'index.d.ts'), join(import.meta.dirname, '..', 'index.ts')].find((path) => existsSync(path));

/** Beyond this a project is not what the check is for; its files are not read. */
const MAX_FILES = 10_000;

/** One message is one line; a type printed in full can run to pages. */
const MAX_MESSAGE_CHARS = 1_000;

/** Options that only shape emitted files: the check emits nothing, and some (rootDir) would object to the package's files. */
const EMIT_OPTIONS = ['outDir', 'outFile', 'rootDir', 'declarationDir', 'composite', 'incremental', 'tsBuildInfoFile', 'emitDeclarationOnly', 'declaration', 'declarationMap', 'sourceMap', 'inlineSourceMap'] as const;

/** TS18003, "No inputs were found": the check picks the files itself, whatever `include` says. */
const NO_INPUTS = 18003;

/** A problem the compiler found in one of the project's files; line and column are 1-based. */
export interface TypeProblem {
  /** Relative to the project, with forward slashes. */
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly category: 'error' | 'warning' | 'suggestion' | 'message';
  readonly code: number;
  readonly message: string;
}

export interface TypeCheck {
  /** The project's files the compiler checked (its code folders' and what they import of the project), relative. */
  readonly files: readonly string[];
  readonly problems: readonly TypeProblem[];
}

/** A tsconfig.json the compiler cannot use; the CLI exits 2 on it (a ConfigError). */
export class TsconfigError extends ConfigError {
  override name = 'TsconfigError';
}

/**
 * The TypeScript files of a project's code folders (rules/, matchers/, publishers/, outputs/, any depth),
 * absolute and sorted. JavaScript files are not type-checked.
 */
export function typeScriptFiles(dir: string): string[] {
  return CODE_FOLDERS.flatMap((folder) => moduleFiles(join(dir, folder))).filter((path) => /\.[mc]?ts$/.test(path));
}

/**
 * Type-checks a project's TypeScript rules, matchers, publishers and outputs with the compiler API, against
 * the running package's declarations: the project's tsconfig.json if it has one (else the
 * scaffold's), with `noEmit` and `paths` making `streamalert` this copy. Only problems in the
 * project's own files are returned, not in node_modules or the package. TypeScript is loaded here,
 * on first use, so no other command pays for it.
 *
 * @example
 *   const { files, problems } = await typeCheckProject('/srv/secops');
 *   // problems[0]: { file: 'rules/duo/duo_fraud.ts', line: 12, column: 5, category: 'error', code: 2322, message: "Type 'string' is not assignable to type 'readonly string[]'." }
 */
export async function typeCheckProject(dir: string): Promise<TypeCheck> {
  const typescript = (await import('typescript')).default;
  const project = resolve(dir);
  const rootNames = typeScriptFiles(project);
  if (rootNames.length > MAX_FILES) throw new ConfigError(`${rootNames.length} TypeScript files under ${CODE_FOLDERS.join('/, ')}/: more than the ${MAX_FILES} rules check reads`);
  if (rootNames.length === 0) return { files: [], problems: [] };

  const options = compilerOptions(typescript, project);
  const program = typescript.createProgram({ rootNames, options });
  const isProjectFile = projectFileTest(project);
  const describe = (diagnostic: ts.Diagnostic) => describeDiagnostic(typescript, project, diagnostic);

  // Problems of the options, placed nowhere or in a tsconfig, are the configuration's; those the
  // compiler places in the package or node_modules (a missing @types reference) are not the project's.
  const programWide = [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()];
  const ofConfig = programWide.filter((diagnostic) => diagnostic.file === undefined || diagnostic.file.fileName.endsWith('.json'));
  if (ofConfig.length > 0) throw new TsconfigError(tsconfigProblems(typescript, project, ofConfig));

  const files = program.getSourceFiles().filter((file) => isProjectFile(file.fileName));
  const problems = [
    ...programWide.filter((diagnostic) => diagnostic.file !== undefined && isProjectFile(diagnostic.file.fileName)),
    ...files.flatMap((file) => [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)]),
  ].map(describe);
  problems.sort((a, b) => (a.file === b.file ? a.line - b.line || a.column - b.column : a.file < b.file ? -1 : 1));
  return { files: files.map((file) => relativeName(project, file.fileName)).sort(), problems };
}

/** One line, as tsc prints it: `rules/duo/duo_fraud.ts:12:5 error TS2322: Type 'string' is not assignable ...`. */
export function formatTypeProblem(problem: TypeProblem): string {
  return `${problem.file}:${problem.line}:${problem.column} ${problem.category} TS${problem.code}: ${problem.message}`;
}

/** The project's tsconfig.json (or the scaffold's, read as if it were in the project), made fit for the check. */
function compilerOptions(typescript: typeof ts, project: string): ts.CompilerOptions {
  const own = join(project, 'tsconfig.json');
  const source = existsSync(own) ? own : SCAFFOLD_TSCONFIG;
  // readConfigFile reports the first syntax error; the source file kept for parsing places each problem of the options.
  const syntax = typescript.readConfigFile(source, typescript.sys.readFile).error;
  if (syntax) throw new TsconfigError(tsconfigProblems(typescript, project, [syntax]));
  const parsed = typescript.parseJsonSourceFileConfigFileContent(typescript.readJsonConfigFile(source, typescript.sys.readFile), typescript.sys, project, undefined, source);
  const errors = parsed.errors.filter((diagnostic) => diagnostic.code !== NO_INPUTS);
  if (errors.length > 0) throw new TsconfigError(tsconfigProblems(typescript, project, errors));

  const options: ts.CompilerOptions = { ...parsed.options, noEmit: true };
  for (const option of EMIT_OPTIONS) delete options[option];
  if (PACKAGE_ENTRY === undefined) throw new Error(`streamalert's declarations are missing next to ${import.meta.dirname} (index.d.ts or index.ts); reinstall the package`);
  // The running copy, whatever node_modules holds: the API the rules are checked against is the one that runs them.
  options.paths = { ...parsed.options.paths, streamalert: [PACKAGE_ENTRY] };
  return options;
}

/** The tsconfig's problems, a line each, for a TsconfigError. */
function tsconfigProblems(typescript: typeof ts, project: string, diagnostics: readonly ts.Diagnostic[]): string {
  return diagnostics
    .map((diagnostic) => {
      if (diagnostic.file === undefined || diagnostic.start === undefined) return `tsconfig.json: TS${diagnostic.code}: ${oneLine(typescript, diagnostic.messageText)}`;
      return formatTypeProblem(describeDiagnostic(typescript, project, diagnostic));
    })
    .join('\n');
}

function describeDiagnostic(typescript: typeof ts, project: string, diagnostic: ts.Diagnostic): TypeProblem {
  const file = diagnostic.file;
  const position = file && diagnostic.start !== undefined ? typescript.getLineAndCharacterOfPosition(file, diagnostic.start) : { line: 0, character: 0 };
  return {
    file: file ? relativeName(project, file.fileName) : 'tsconfig.json',
    line: position.line + 1,
    column: position.character + 1,
    category: CATEGORIES[diagnostic.category],
    code: diagnostic.code,
    message: oneLine(typescript, diagnostic.messageText),
  };
}

// Indexed by ts.DiagnosticCategory: Warning 0, Error 1, Suggestion 2, Message 3.
const CATEGORIES = ['warning', 'error', 'suggestion', 'message'] as const;

/** A message chain ("Argument of type ... / Object literal may only specify known properties ...") on one line, bounded. */
function oneLine(typescript: typeof ts, message: string | ts.DiagnosticMessageChain): string {
  const text = typescript
    .flattenDiagnosticMessageText(message, '\n')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .join(' ');
  return text.length <= MAX_MESSAGE_CHARS ? text : `${text.slice(0, MAX_MESSAGE_CHARS)}...`;
}

/** Whether a file the compiler read is the project's own: inside its folder, not in node_modules, not the package's. */
function projectFileTest(project: string): (fileName: string) => boolean {
  const packageFiles = PACKAGE_ENTRY === undefined ? undefined : `${resolve(PACKAGE_ENTRY, '..')}${sep}`;
  return (fileName) => {
    const path = resolve(fileName);
    const rel = relative(project, path);
    if (rel.startsWith('..') || isAbsolute(rel)) return false;
    if (rel.split(sep).includes('node_modules')) return false;
    return packageFiles === undefined || !path.startsWith(packageFiles);
  };
}

function relativeName(project: string, fileName: string): string {
  return relative(project, resolve(fileName)).split(sep).join('/');
}
