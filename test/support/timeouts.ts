// How long tests wait, in one place. CI runs every test file at once on a 2-core machine, where a
// healthy loopback answer can take seconds and a cold CLI start (tsx loading the sources) tens of
// seconds. So every wait for something that should happen is patient, and is a deadline, not a
// duration: a passing test never sits it out. Only a wait for what must never come (a hang) is
// short, so that its test ends quickly: no load can make a hang answer early.

/** Per request that should be answered: HTTP to a loopback server, AWS calls to moto. */
export const ANSWER_TIMEOUT_MS = 30_000;

/** Per request a test expects to hang: the output must give up on it, and soon. */
export const HANG_TIMEOUT_MS = 500;

/** For a condition to hold: `waitUntil`, a terminal showing some text. */
export const CONDITION_TIMEOUT_MS = 60_000;

/** For a CLI subprocess to exit before it is killed: a cold start under load, then its work. */
export const CLI_TIMEOUT_MS = 120_000;

/**
 * For `npm install` of the packed package in a fresh folder (test/cli/package.test.ts): a real
 * install from the npm registry, in which better-sqlite3 compiles from source: about a minute on
 * a quiet 2-core machine, several while the rest of the suite runs.
 */
export const PACKAGE_INSTALL_TIMEOUT_MS = 900_000;

/**
 * For a whole test or hook (vitest.config.ts): only a backstop above the waits it makes, which
 * fail first and say what never happened. A test may run several CLI subprocesses in a row.
 */
export const TEST_TIMEOUT_MS = 300_000;
