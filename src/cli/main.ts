import { Command, CommanderError } from 'commander';
import { ExitCode } from '../contract/error-catalogue.js';
import { BenchError, oneLine } from '../contract/errors.js';

/**
 * Builds the `bench` program. Each command lives in its own file and is loaded only
 * when it is the one being run, so `bench list` never pays for the report renderer.
 */
type CommandModule = { command: () => Command };
const commands: Record<string, { summary: string; load: () => Promise<CommandModule> }> = {
  run: { summary: 'run a scenario over one or more transports', load: () => import('./run.js') },
  list: { summary: 'list scenarios, and transports with whether each is reachable now', load: () => import('./list.js') },
  schema: { summary: 'write the JSON Schema of scenario files', load: () => import('./schema.js') },
};

/** Lets another command file join the program (used by commands added later). */
export function registerCommand(name: string, summary: string, load: () => Promise<CommandModule>): void {
  commands[name] = { summary, load };
}

export async function main(argv: string[]): Promise<void> {
  const name = argv[2];
  const program = new Command('bench')
    .description('REST-vs-messaging comparison harness')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  await loadOptionalCommands();
  const entry = name !== undefined ? commands[name] : undefined;
  if (entry) {
    const mod = await entry.load();
    program.addCommand(mod.command().exitOverride());
  } else {
    for (const [n, c] of Object.entries(commands)) program.command(n).description(c.summary);
  }
  try {
    await program.parseAsync(argv);
  } catch (err) {
    process.exitCode = exitCodeFor(err);
  }
}

/** Commands whose files may be absent in a trimmed install; each registers itself. */
async function loadOptionalCommands(): Promise<void> {
  const { optionalCommands } = await import('./commands.js');
  for (const c of optionalCommands) registerCommand(c.name, c.summary, c.load);
}

/** Prints one clear line for a known error, the stack for anything else; returns the exit code. */
export function exitCodeFor(err: unknown): number {
  if (err instanceof CommanderError) {
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.exitCode === ExitCode.ok) return ExitCode.ok;
    // commander has already printed its one line
    return ExitCode.invalidConfig;
  }
  if (err instanceof BenchError) {
    // one line whatever the message holds (a value with a newline, a 5 MB string)
    process.stderr.write(`bench: ${oneLine(err.message, 600)}\n`);
    return err.exitCode;
  }
  process.stderr.write(`bench: unexpected error\n${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  return ExitCode.failure;
}
