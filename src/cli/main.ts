import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config/errors.ts';
import { describeError } from '../observability/describe-error.ts';
import { StoreError } from '../store/errors.ts';
import { CliError, EXIT, QuietExit } from './errors.ts';
import { registerAlerts } from './commands/alerts.ts';
import { registerInit } from './commands/init.ts';
import { registerOutputDelete } from './commands/output-delete.ts';
import { registerOutputGet } from './commands/output-get.ts';
import { registerOutputList } from './commands/output-list.ts';
import { registerOutputNew } from './commands/output-new.ts';
import { registerOutputServices } from './commands/output-services.ts';
import { registerOutputTest } from './commands/output-test.ts';
import { registerRules } from './commands/rules.ts';
import { registerRun } from './commands/run.ts';
import { registerServe } from './commands/serve.ts';
import { registerSecrets } from './commands/secrets.ts';
import { registerStore } from './commands/store.ts';
import { registerToken } from './commands/token.ts';
import '../outputs/builtin.ts';
import { loadProjectOutputs } from '../outputs/project-outputs.ts';
import { resolveProjectDir } from '../config/project.ts';
import { packageVersion } from './version.ts';

/** Builds the `streamalert` command tree. Each command lives in its own file under commands/. */
export function buildProgram(): Command {
  const program = new Command('streamalert')
    .description('StreamAlert for TypeScript: rules over your logs, alerts delivered to Slack, PagerDuty, SOAR, S3, Lambda')
    .version(packageVersion(), '-V, --version', 'print the version of streamalert')
    .option('--project <dir>', 'project folder (default: $STREAMALERT_PROJECT or the current directory)')
    .showHelpAfterError('(add --help for usage)')
    .configureHelp({ showGlobalOptions: true })
    .addHelpText(
      'after',
      `
Examples:
  $ streamalert init                                 # a working project in this folder
  $ streamalert rules test                           # every rule's test events
  $ streamalert run --input samples/*                # records -> rules -> alerts -> outputs, then a summary
  $ streamalert output new --service slack           # deliver to Slack (prompts; the URL is stored encrypted)
  $ streamalert --project ~/detections alerts list --status failed

Each command has its own help and examples: streamalert <command> --help`,
    );

  registerInit(program);
  const output = program
    .command('output')
    .description('configure and inspect outputs')
    .addHelpText('after', '\nExamples:\n  $ streamalert output new --service slack\n  $ streamalert output list\n  $ streamalert output test slack:sec-alerts');
  registerOutputNew(output);
  registerOutputList(output);
  registerOutputGet(output);
  registerOutputDelete(output);
  registerOutputTest(output);
  registerOutputServices(output);
  registerRules(program);
  registerRun(program);
  registerServe(program);
  registerAlerts(program);
  registerSecrets(program);
  registerStore(program);
  registerToken(program);

  // Every subcommand reports usage errors through main() rather than exiting itself.
  const exitOverride = (command: Command): void => {
    command.exitOverride();
    command.commands.forEach(exitOverride);
  };
  exitOverride(program);
  return program;
}

/**
 * The process around main(), shared by both entry points (bin/streamalert.js, compiled, and
 * bin/streamalert-from-source.js): sets the exit code instead of exiting, so output is flushed.
 */
export async function runCli(argv: readonly string[]): Promise<void> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  // Output piped into `head` and closed early is not an error worth a stack trace.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
  process.exitCode = await main(argv);
}

/** Runs the CLI; returns the exit code (0 ok, 1 the work failed, 2 bad usage or bad config). */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    // A project's own output services register before the command tree lists the services;
    // asking for help or the version, or creating a project, runs none of the project's code.
    if (readsProject(argv)) await loadProjectOutputs(resolveProjectDir(projectOption(argv)));
    const program = buildProgram();
    await program.parseAsync(argv);
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    if (error instanceof QuietExit) return error.exitCode;
    if (error instanceof CliError) {
      printError(error.message);
      return error.exitCode;
    }
    if (error instanceof ConfigError) {
      printError(error.message);
      return EXIT.usage;
    }
    // A store that cannot be used as it is (not a database, no access) is set-up, like bad config.
    if (error instanceof StoreError) {
      printError(error.message);
      return error.setup ? EXIT.usage : EXIT.failed;
    }
    console.error(`error: ${error instanceof Error ? error.message : describeError(error)}`);
    return EXIT.failed;
  }
}

/** One `error:` line per line of the message: a config file with three problems names all three. */
function printError(message: string): void {
  for (const line of message.split('\n')) console.error(`error: ${line}`);
}

/**
 * Whether the command in argv reads the project's configuration, and so needs its output services
 * (conf/outputs.json may name them): every command but help, --version and init.
 */
function readsProject(argv: readonly string[]): boolean {
  const args = argv.slice(2);
  if (args.some((arg) => HELP_OR_VERSION.has(arg))) return false;
  const command = args.find((arg, i) => !arg.startsWith('-') && args[i - 1] !== '--project');
  return command !== undefined && command !== 'help' && command !== 'init';
}

const HELP_OR_VERSION = new Set(['--help', '-h', '--version', '-V']);

/** The --project value in argv, read before commander parses it (see main). */
function projectOption(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--project') return argv[i + 1];
    if (argv[i]?.startsWith('--project=')) return argv[i]!.slice('--project='.length);
  }
  return undefined;
}
