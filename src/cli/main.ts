import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config/errors.ts';
import { describeError } from '../observability/describe-error.ts';
import { StoreError } from '../store/errors.ts';
import { CliError, EXIT, QuietExit } from './errors.ts';
import { packageVersion } from './version.ts';

interface TopLevelCommand {
  /** Its line in the overall help (each command's own help has its full description). */
  summary: string;
  /** Loads the command's file; what it returns registers the command (a group may register only the subcommand argv names). */
  register: () => Promise<(program: Command, subcommand?: string) => void | Promise<void>>;
}

/**
 * The top-level commands, in help order. Only the command being run is loaded (with what it
 * imports), so `run` never reads the prompt library and `output list` never reads the delivery
 * engine. The overall help lists the summaries and loads none; `help` and a mistyped command
 * (which gets "did you mean") load them all.
 */
const COMMANDS: Record<string, TopLevelCommand> = {
  init: { summary: 'write a working project (or with --bare, the empty folders)', register: async () => (await import('./commands/init.ts')).registerInit },
  output: { summary: 'configure and inspect outputs', register: async () => (await import('./commands/output.ts')).registerOutput },
  rules: { summary: "test and type-check the detection rules", register: async () => (await import('./commands/rules.ts')).registerRules },
  run: { summary: 'classify records, run the rules, store and deliver the alerts, then print a summary', register: async () => (await import('./commands/run.ts')).registerRun },
  serve: { summary: 'accept records over HTTP, store the alerts, deliver them continuously', register: async () => (await import('./commands/serve.ts')).registerServe },
  alerts: { summary: 'stored alerts and their deliveries: list, show, retry, discard', register: async () => (await import('./commands/alerts.ts')).registerAlerts },
  secrets: { summary: 'manage the encrypted output credentials', register: async () => (await import('./commands/secrets.ts')).registerSecrets },
  store: { summary: 'the alert store (SQLite embedded, DynamoDB on AWS)', register: async () => (await import('./commands/store.ts')).registerStore },
  silence: { summary: 'silences: alerts they match are stored, not sent', register: async () => (await import('./commands/silence.ts')).registerSilence },
  token: { summary: "bearer tokens for 'streamalert serve'", register: async () => (await import('./commands/token.ts')).registerToken },
  deploy: { summary: 'deploy the project to AWS with the AWS CDK (--synth: only the CloudFormation templates)', register: async () => (await import('./commands/deploy.ts')).registerDeploy },
  destroy: { summary: "delete the project's AWS stack, keeping its table, buckets and key", register: async () => (await import('./commands/destroy.ts')).registerDestroy },
  'import-streamalert': { summary: "a StreamAlert checkout's conf/, test events and rule skeletons, into this project", register: async () => (await import('./commands/import-streamalert.ts')).registerImportStreamAlert },
};

/**
 * Builds the `streamalert` command tree; with argv, only the command argv runs (see COMMANDS).
 * Each command lives in its own file under commands/.
 */
export async function buildProgram(argv?: readonly string[]): Promise<Command> {
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

  const [named, subcommand] = argv ? commandWords(argv) : [];
  if (argv && named === undefined) {
    // The overall help (or --version): the list of commands is all it shows.
    for (const [name, { summary }] of Object.entries(COMMANDS)) program.command(name).summary(summary);
  } else {
    const one = named !== undefined && Object.hasOwn(COMMANDS, named);
    const wanted = one ? [named] : Object.keys(COMMANDS);
    const registers = await Promise.all(wanted.map((name) => COMMANDS[name]!.register()));
    for (const [i, name] of wanted.entries()) {
      await registers[i]!(program, one ? subcommand : undefined);
      program.commands.at(-1)!.summary(COMMANDS[name]!.summary);
    }
  }

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
    if (readsProject(argv)) {
      const { resolveProjectDir } = await import('../config/project-dir.ts');
      const dir = resolveProjectDir(projectOption(argv));
      // Most projects have no services of their own: then nothing more to load.
      if (existsSync(join(dir, 'outputs'))) await (await import('../outputs/project-outputs.ts')).loadProjectOutputs(dir);
    }
    const program = await buildProgram(argv);
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
 * (conf/outputs.json may name them): every command but help, --version, init and `rules check`
 * (which reports an output file that does not compile as file:line:col instead).
 */
function readsProject(argv: readonly string[]): boolean {
  const args = argv.slice(2);
  if (args.some((arg) => HELP_OR_VERSION.has(arg))) return false;
  const [command, subcommand] = commandWords(argv);
  return command !== undefined && command !== 'help' && command !== 'init' && !(command === 'rules' && subcommand === 'check');
}

/** The words of argv that are neither options nor the --project value: the command and its subcommand first. */
function commandWords(argv: readonly string[]): string[] {
  const args = argv.slice(2);
  return args.filter((arg, i) => !arg.startsWith('-') && args[i - 1] !== '--project');
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
