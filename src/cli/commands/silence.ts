import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { newSilence } from '../../noise/new-silence.ts';
import { formatMatcher, silenceJson, silenceState, type Silence } from '../../noise/silence.ts';
import { CliError, EXIT } from '../errors.ts';
import { withAlertStore } from './alerts.ts';

/** `streamalert silence add|list|expire`: silences in the alert store, which every process reads before saving alerts. */
export function registerSilence(program: Command): void {
  const silence = program
    .command('silence')
    .description('silences: while one is active, the alerts it matches are stored, not sent (see docs/noise.md)')
    .addHelpText('after', `\nExamples:\n  $ streamalert silence add --match rule_name=duo_fraud --match record.user=alice --for 2h --comment "pen test"\n  $ streamalert silence list`);

  silence
    .command('add')
    .description('silence the alerts every matcher matches, from now (or --starts) for --for')
    .requiredOption('--match <matcher>', 'KEY=VALUE, KEY!=VALUE, KEY=~REGEX (fully anchored) or KEY!~REGEX over the alert document; repeat for more (all must match)', collect, [])
    .requiredOption('--for <duration>', 'how long: 90s, 30m, 2h, 7d')
    .requiredOption('--comment <text>', 'why (a ticket, the pen test): shown with the silence')
    .option('--starts <time>', 'when it starts, an ISO 8601 time (default: now)')
    .option('--created-by <name>', 'who adds it (default: your user name)')
    .option('--json', 'print the silence as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ streamalert silence add --match rule_name=duo_fraud --match record.user.name=alice@example.com --for 2h --comment "pen test, SEC-123"
  $ streamalert silence add --match 'rule_name=~cloudtrail_.*' --match cluster=staging --for 30m --comment "staging drill"
  $ streamalert silence add --match rule_name=github_push --starts 2026-12-24T18:00:00Z --for 3d --comment "code freeze"`,
    )
    .action(async (options: { match: string[]; for: string; comment: string; starts?: string; createdBy?: string; json?: boolean }, command: Command) => {
      let made: Silence;
      try {
        made = newSilence({ matchers: options.match, for: options.for, comment: options.comment, ...(options.starts !== undefined && { starts: options.starts }) }, options.createdBy ?? osUser(), Date.now());
      } catch (error) {
        throw new CliError((error as Error).message, EXIT.usage);
      }
      await withAlertStore(command, (store) => store.addSilence(made));
      if (options.json) return console.log(JSON.stringify(silenceJson(made, Date.now()), null, 2));
      console.log(made.id);
      console.error(`Silence ${made.id} added: ${describe(made, Date.now())}. 'streamalert silence expire ${made.id}' ends it early.`);
    });

  silence
    .command('list')
    .description('the silences, newest first: active and pending ones (with --all, expired ones too)')
    .option('--all', 'include expired silences')
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExamples:\n  $ streamalert silence list\n  $ streamalert silence list --all --json')
    .action(async (options: { all?: boolean; json?: boolean }, command: Command) => {
      const now = Date.now();
      const silences = (await withAlertStore(command, (store) => store.silences())).filter((s) => options.all || silenceState(s, now) !== 'expired');
      if (options.json) return console.log(JSON.stringify(silences.map((s) => silenceJson(s, now)), null, 2));
      if (silences.length === 0) return console.log(options.all ? 'No silences.' : "No active or pending silences ('--all' lists the expired ones too).");
      for (const s of silences) console.log(`${s.id}  ${describe(s, now)}`);
    });

  silence
    .command('expire')
    .argument('<id>', "the silence's id (from 'streamalert silence list')")
    .description('end a silence now: alerts it would have matched are sent from the next one on')
    .addHelpText('after', '\nExample:\n  $ streamalert silence expire 019ad9f2-6c1e-7a3b-9f41-0c5e2d7b8a90')
    .action(async (id: string, _options: unknown, command: Command) => {
      const now = Date.now();
      const expired = await withAlertStore(command, (store) => store.expireSilence(id, now));
      if (!expired) throw new CliError(`no silence has the id ${id} (see 'streamalert silence list --all')`, EXIT.failed);
      console.log(`Silence ${id} expired (${describe(expired, now)}).`);
    });
}

function describe(silence: Silence, now: number): string {
  const state = silenceState(silence, now);
  const when = state === 'pending' ? `starts ${iso(silence.startsAt)}, ends ${iso(silence.endsAt)}` : state === 'active' ? `ends ${iso(silence.endsAt)}` : `ended ${iso(silence.endsAt)}`;
  return `${state}, ${when}, ${silence.matchers.map(formatMatcher).join(' ')} (by ${silence.createdBy}: ${silence.comment})`;
}

function iso(at: number): string {
  return new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? 'unknown';
  }
}
