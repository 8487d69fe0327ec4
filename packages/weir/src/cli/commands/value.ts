/**
 * @module cli/commands/value
 * `weir value`: an asset's current value on stdout (JSON as JSON, bytes raw, files as their
 * path), or with `--json` wrapped with the materialization it comes from.
 */
import { EnvironmentError } from '../../errors.js';
import { type AssetValue, assetValue } from '../../execution/index.js';
import { type Command, requirePositional, stringOption } from '../command.js';
import { json, withClock } from '../format.js';

const USAGE = 'weir value KEY [--partition P] [--json]';

export const valueCommand: Command = {
  name: 'value',
  summary: 'Print an asset’s current value: JSON, raw bytes, or the path of stored files',
  usage: USAGE,
  help: `The current value is what downstream assets read now: the newest materialization that
passed its blocking checks.
  json assets   the value, as JSON
  bytes assets  the bytes, raw (redirect them: weir value KEY > out.bin); refused on a terminal
  files assets  the absolute path of the stored file or directory (read it, never modify it)
options:
  --partition P  the partition of a partitioned asset
  --json         {key, partition, format, dataVersion, codeVersion, materializationId, runId,
                 materializedAt, location, value}; bytes as base64 (encoding: "base64")
`,
  options: { partition: { type: 'string' } },
  async run(ctx) {
    const key = requirePositional(ctx, 'an asset key', USAGE);
    if (ctx.positionals.length > 1) {
      throw new EnvironmentError('E_USAGE', 'weir value takes one asset key', {
        hint: `usage: ${USAGE}`,
      });
    }
    const partition = stringOption(ctx.values.partition);
    const { project } = await ctx.project();
    const found = await assetValue(project, {
      instance: await ctx.instance(),
      key,
      ...withClock(),
      ...(partition === undefined ? {} : { partition }),
    });
    const { output } = ctx;
    if (ctx.values.json) {
      await output.bytes(new TextEncoder().encode(json(wrapped(found))));
    } else if (found.format === 'bytes') {
      if (output.tty) throw binaryOnTerminal(found);
      await output.bytes(found.value);
    } else {
      const text = found.format === 'files' ? `${found.value.path}\n` : json(found.value);
      await output.bytes(new TextEncoder().encode(text));
    }
    return 0;
  },
};

/** The value with its provenance, for scripts; bytes as base64. */
function wrapped(found: AssetValue): Record<string, unknown> {
  const { value, ...about } = found;
  if (found.format !== 'bytes') return { ...about, value };
  return { ...about, value: Buffer.from(found.value).toString('base64'), encoding: 'base64' };
}

function binaryOnTerminal(found: AssetValue): EnvironmentError {
  const label = found.partition === '' ? found.key : `${found.key} --partition ${found.partition}`;
  return new EnvironmentError(
    'E_USAGE',
    `${found.key} holds ${found.value instanceof Uint8Array ? found.value.length : 0} bytes of binary data: not printing them to a terminal`,
    { hint: `redirect them: weir value ${label} > FILE (or --json for base64)` },
  );
}
