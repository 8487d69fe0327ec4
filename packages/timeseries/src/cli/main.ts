/**
 * @module cli/main
 * The `weir-ts` command. The only place that reads argv, prints and sets the exit code:
 * user errors print the message and a hint, the stack only with `--verbose`.
 */
import { parseArgs } from 'node:util';
import { TimeseriesError } from '../errors.js';
import { formatReport } from '../report.js';
import { runPolish } from './polish-command.js';

const USAGE = `usage: weir-ts polish DATA.csv --config POLISH.json [--out OUT.parquet|OUT.arrow] [--json] [--verbose]

Polishes a wide CSV (a timestamp column, then one column per variable) as configured,
prints the report, and writes the polished series with flags, causes and validity.`;

/** Where the command writes; `process.stdout` and `process.stderr` by default. */
export interface Output {
  write(text: string): unknown;
}

/** Runs the command line; returns the exit code. */
export async function main(
  argv: readonly string[],
  out: Output = process.stdout,
  err: Output = process.stderr,
): Promise<number> {
  let verbose = argv.includes('--verbose');
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        config: { type: 'string', short: 'c' },
        out: { type: 'string', short: 'o' },
        json: { type: 'boolean' },
        verbose: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    verbose = values.verbose ?? false;
    if (values.help) {
      out.write(`${USAGE}\n`);
      return 0;
    }
    const [command, input, ...rest] = positionals;
    if (
      command !== 'polish' ||
      input === undefined ||
      rest.length > 0 ||
      values.config === undefined
    ) {
      throw new TimeseriesError(
        'E_USAGE',
        command === 'polish'
          ? 'polish needs DATA.csv and --config'
          : `unknown command ${JSON.stringify(command ?? '')}`,
        {
          hint: USAGE,
        },
      );
    }
    const result = await runPolish({
      input,
      config: values.config,
      ...(values.out === undefined ? {} : { out: values.out }),
    });
    out.write(
      values.json ? `${JSON.stringify(result.report, null, 2)}\n` : formatReport(result.report),
    );
    if (result.wrote !== undefined && !values.json) out.write(`wrote ${result.wrote}\n`);
    return 0;
  } catch (e) {
    if (e instanceof TimeseriesError) {
      err.write(`weir-ts: ${e.message}\n`);
      if (e.hint !== undefined) err.write(`${e.hint}\n`);
      if (verbose) err.write(`${e.stack}\n`);
      return e.code === 'E_USAGE' ? 2 : 1;
    }
    if (e instanceof Error && 'code' in e && e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      err.write(`weir-ts: ${e.message}\n${USAGE}\n`);
      return 2;
    }
    err.write(
      `weir-ts: unexpected error: ${e instanceof Error ? (verbose ? e.stack : e.message) : String(e)}\n`,
    );
    return 1;
  }
}
