import type { Command } from 'commander';
import { ServeTokens } from '../../serve/tokens.ts';
import { CliError } from '../errors.ts';
import { projectOf } from '../project.ts';

/** `streamalert token create|list|revoke`: the bearer tokens `serve` accepts, stored hashed. */
export function registerToken(program: Command): void {
  const token = program
    .command('token')
    .description("bearer tokens for 'streamalert serve' (stored hashed in .streamalert/tokens.json)")
    .addHelpText('after', '\nExamples:\n  $ streamalert token create --name ci\n  $ streamalert token list');
  const tokensOf = (command: Command) => new ServeTokens(projectOf(command).dir);

  token
    .command('create')
    .description('make a token and print it, once: only its hash is stored')
    .requiredOption('--name <name>', 'what the token is for (e.g. ci, fluent-bit); used to revoke it')
    .addHelpText(
      'after',
      `
Examples:
  $ streamalert token create --name ci
  $ TOKEN=$(streamalert token create --name fluent-bit)
  $ curl -H "Authorization: Bearer $TOKEN" --data-binary @samples/duo.ndjson 'http://127.0.0.1:8080/v1/records?log_type=duo'`,
    )
    .action((options: { name: string }, command: Command) => {
      const created = tokensOf(command).create(options.name);
      // The token alone on standard output, so that `$(...)` captures it; the advice on standard error.
      console.log(created);
      console.error(`Token '${options.name}' created. Keep it now: it is not shown again (only its hash is stored).`);
    });

  token
    .command('list')
    .description('the tokens: name and creation time (never any part of the token)')
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExamples:\n  $ streamalert token list\n  $ streamalert token list --json')
    .action((options: { json?: boolean }, command: Command) => {
      const tokens = tokensOf(command).list();
      if (options.json) return console.log(JSON.stringify(tokens, null, 2));
      if (tokens.length === 0) return console.log("No tokens yet: 'streamalert token create --name NAME' makes one.");
      for (const { name, created } of tokens) console.log(`${name.padEnd(24)} created ${created}`);
    });

  token
    .command('revoke')
    .argument('<name>', 'the name the token was created with')
    .description('remove a token; a running serve refuses it from its next request on')
    .addHelpText('after', '\nExample:\n  $ streamalert token revoke ci')
    .action((name: string, _options: unknown, command: Command) => {
      if (!tokensOf(command).revoke(name)) throw new CliError(`no token named '${name}' (see 'streamalert token list')`);
      console.log(`Token '${name}' revoked.`);
    });
}
