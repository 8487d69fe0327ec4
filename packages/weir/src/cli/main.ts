/**
 * @module cli/main
 * The `weir` command. main() is the one place that reads argv, prints errors and decides
 * the exit code; commands return results. Cleanup (closing the event log) always runs.
 */
import { parseArgs } from 'node:util';
import { didYouMean, EnvironmentError, WeirError } from '../errors.js';
import { sourceMapped } from '../source-stacks.js';
import { WEIR_VERSION } from '../version.js';
import { systemFault } from './_faults.js';
import {
  type Command,
  type ContextOptions,
  createContext,
  GLOBAL_OPTIONS,
  type OptionValue,
} from './command.js';
import { automationCommand } from './commands/automation.js';
import { backfillCommand } from './commands/backfill.js';
import { checkCommand } from './commands/check.js';
import { daemonCommandDef, devCommand } from './commands/daemon.js';
import { doctorCommand } from './commands/doctor.js';
import { experimentsCommand } from './commands/experiments.js';
import { gcCommand } from './commands/gc.js';
import { historyCommand } from './commands/history.js';
import { initCommand } from './commands/init.js';
import { listCommand } from './commands/list.js';
import { logsCommand } from './commands/logs.js';
import { materializeCommand } from './commands/materialize.js';
import { partitionsCommand } from './commands/partitions.js';
import { runsCommand } from './commands/runs.js';
import { serveCommand } from './commands/serve.js';
import { statusCommand } from './commands/status.js';
import { valueCommand } from './commands/value.js';
import { verifyCommand } from './commands/verify.js';
import { whyCommand } from './commands/why.js';
import { workerCommand } from './commands/worker.js';
import { type Output, paint, processOutput } from './format.js';

export const COMMANDS: readonly Command[] = [
  initCommand,
  materializeCommand,
  backfillCommand,
  workerCommand,
  daemonCommandDef,
  devCommand,
  serveCommand,
  automationCommand,
  statusCommand,
  checkCommand,
  whyCommand,
  historyCommand,
  experimentsCommand,
  valueCommand,
  logsCommand,
  runsCommand,
  listCommand,
  partitionsCommand,
  verifyCommand,
  gcCommand,
  doctorCommand,
];

export interface MainOptions {
  output?: Output;
  cwd?: string;
  signal?: AbortSignal;
  /** Runs and backfills the command works on, as they start and end (for a supervisor). */
  onActivity?: ContextOptions['onActivity'];
}

/** Runs the command line `argv` (without node and script) and returns the exit code. */
export async function main(argv: readonly string[], options: MainOptions = {}): Promise<number> {
  const output = options.output ?? processOutput();
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    output.out(usage(rest[0]));
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === 'version') {
    output.out(`weir ${WEIR_VERSION}\n`);
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  const verbose = argv.includes('--verbose') || argv.includes('-v');
  const cleanups: Array<() => Promise<void>> = [];
  try {
    if (command === undefined) {
      throw new EnvironmentError('E_USAGE', `unknown command '${name}'`, {
        hint:
          didYouMean(
            name,
            COMMANDS.map((c) => c.name),
          ) ?? `commands: ${COMMANDS.map((c) => c.name).join(', ')}`,
      });
    }
    let parsed: ReturnType<typeof parseArgs>;
    try {
      parsed = parseArgs({
        args: [...rest],
        options: { ...GLOBAL_OPTIONS, ...command.options },
        allowPositionals: true,
        strict: true,
      });
    } catch (error) {
      throw new EnvironmentError('E_USAGE', argumentProblem(error as Error), {
        hint: `usage: ${command.usage}`,
      });
    }
    if (parsed.values.help) {
      output.out(usage(command.name));
      return 0;
    }
    const ctx = createContext({
      positionals: parsed.positionals,
      values: parsed.values as Record<string, OptionValue>,
      output,
      cwd: options.cwd ?? process.cwd(),
      signal: options.signal ?? new AbortController().signal,
      cleanups,
      ...(options.onActivity === undefined ? {} : { onActivity: options.onActivity }),
    });
    return await command.run(ctx);
  } catch (error) {
    reportError(error, output, verbose);
    return error instanceof WeirError && error.code === 'E_USAGE' ? 2 : 1;
  } finally {
    for (const cleanup of cleanups.reverse()) {
      await cleanup().catch((error: unknown) =>
        output.err(`weir: cleanup failed: ${(error as Error).message}\n`),
      );
    }
  }
}

function reportError(thrown: unknown, output: Output, verbose: boolean): void {
  const error = systemFault(thrown) ?? thrown;
  if (error instanceof WeirError) {
    output.err(`${paint(output, 'red', 'error')}: ${error.message}\n`);
    if (error.hint) output.err(`${paint(output, 'gray', 'hint')}: ${error.hint}\n`);
    if (verbose && error.stack) output.err(`${sourceMapped(error.stack)}\n`);
    if (verbose && error.cause instanceof Error && error.cause.stack)
      output.err(`caused by: ${sourceMapped(error.cause.stack)}\n`);
    return;
  }
  output.err(
    `${paint(output, 'red', 'internal error')}: ${error instanceof Error && error.stack ? sourceMapped(error.stack) : String(error)}\n`,
  );
  output.err('This is a bug in Weir; please report it with the command you ran.\n');
}

function usage(commandName?: string): string {
  const command = COMMANDS.find((c) => c.name === commandName);
  if (command)
    return `${command.summary}\n\nusage: ${command.usage}\n\n${command.help ? `${command.help}\n` : ''}${GLOBAL_HELP}`;
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    `weir ${WEIR_VERSION}: asset-based data orchestration`,
    '',
    'usage: weir COMMAND [ARGS] [OPTIONS]',
    '',
    'commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    GLOBAL_HELP,
    'Selections: keys, globs (gauges/*), closures (+key, 2+key, key+), group:, tag:k=v, owner:, kind:, joined by ","',
    'Partitions: --partition KEY or --from A --to B (materialize, backfill); status --partitions; why/history --partition P',
    'Run `weir help COMMAND` for a command’s options.',
    '',
  ].join('\n');
}

const GLOBAL_HELP = `options for every command:
  -p, --project PATH  the project file or its folder (default: weir.config.ts found upward from here)
  --json              machine-readable output
  -v, --verbose       more detail: step logs as they come, stacks of errors
  -h, --help          this help
`;

/** What Node's argument parser found wrong, in our words where its own would puzzle. */
function argumentProblem(error: Error): string {
  const ambiguous = /^Option '(-\w, )?(--[\w-]+)[^']*' argument is ambiguous/.exec(error.message);
  if (ambiguous !== null) {
    const name = ambiguous[2]!;
    return `${name} takes a value, and the next argument starts with '-': write ${name}=VALUE for a value that starts with '-'`;
  }
  return error.message.replace(/\. To specify a positional.*$/s, '');
}
