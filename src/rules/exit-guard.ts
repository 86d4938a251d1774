import { pathToFileURL } from 'node:url';
import { describeValue } from '../observability/describe-error.ts';
import { RuleExitError } from './errors.ts';

type Exit = (code?: unknown) => never;
const exits = process as unknown as Record<'exit' | 'reallyExit', Exit>;

/** Paths and file URLs of the project's rule and publisher modules, as they appear in stack traces. */
const userFiles = new Set<string>();
/** Open refuseExits() windows: rule code is running, whoever calls. */
let windows = 0;
let refused = 0;
let installed = false;

/**
 * From now until the returned function is called, `process.exit` (and `process.reallyExit`,
 * which it calls) throws a RuleExitError instead of ending the process. Outside such windows a
 * call is still refused when the caller's stack names a file given to `registerUserFile` (a
 * publisher during delivery, a rule's timer); every other call ends the process as usual.
 *
 * @example
 *   const allowExits = refuseExits();
 *   try { await import(ruleFile); } finally { allowExits(); }
 */
export function refuseExits(): () => void {
  install();
  windows++;
  let open = true;
  return () => {
    if (open) windows--;
    open = false;
  };
}

/**
 * Marks a module file as user code: its calls to `process.exit` are refused at any time.
 *
 * @example
 *   registerUserFile('/home/me/detections/rules/duo.ts');
 */
export function registerUserFile(path: string): void {
  install();
  userFiles.add(path);
  userFiles.add(pathToFileURL(path).href);
}

/**
 * How many calls were refused so far: a rule that catches the RuleExitError still shows here.
 *
 * @example
 *   const before = exitsRefused();
 *   rule.fn(record, context);
 *   if (exitsRefused() !== before) report('called process.exit');
 */
export function exitsRefused(): number {
  return refused;
}

function install(): void {
  if (installed) return;
  installed = true;
  for (const name of ['exit', 'reallyExit'] as const) {
    const original = exits[name];
    if (typeof original !== 'function') continue;
    exits[name] = function guardedExit(code?: unknown): never {
      if (windows === 0 && !calledFromUserFile()) return original.call(process, code);
      refused++;
      const shown = code === undefined ? '' : typeof code === 'number' ? String(code) : describeValue(code);
      throw new RuleExitError(`called process.${name}(${shown}); rule files, rules and publishers must not end the process (throw an Error to report a problem)`);
    };
  }
}

function calledFromUserFile(): boolean {
  if (userFiles.size === 0) return false;
  const limit = Error.stackTraceLimit;
  try {
    // Deep enough to see past the helpers a rule calls.
    Error.stackTraceLimit = 200;
    const stack = String(new Error().stack);
    for (const file of userFiles) if (stack.includes(file)) return true;
    return false;
  } catch {
    return false;
  } finally {
    Error.stackTraceLimit = limit;
  }
}
