/**
 * @module cli/commands/partitions
 * `weir partitions`: lists, adds and removes the keys of dynamic partitions.
 */
import { didYouMean, EnvironmentError } from '../../errors.js';
import { addDynamicPartitions, graphOf, removeDynamicPartitions } from '../../execution/index.js';
import { dynamicPartitionNames } from '../_partitions.js';
import type { Command, CommandContext } from '../command.js';
import { json, paint, table } from '../format.js';

const USAGE = 'weir partitions list [NAME] | add NAME KEY… | remove NAME KEY…  [--json]';

export const partitionsCommand: Command = {
  name: 'partitions',
  summary: 'List, add and remove the keys of dynamic partitions',
  usage: USAGE,
  help: `subcommands:
  list           the dynamic partitions the project declares, with their key counts
  list NAME      the current keys of dynamic partitions NAME, in the order they were added
  add NAME KEY…  add keys (keys it has keep their place); new partitions are missing until materialized
  remove NAME KEY…
                 remove keys; their history stays in the event log
`,
  options: {},
  async run(ctx) {
    const [sub, name, ...keys] = ctx.positionals;
    if (sub !== 'list' && sub !== 'add' && sub !== 'remove') {
      throw new EnvironmentError(
        'E_USAGE',
        sub === undefined ? 'missing a subcommand' : `unknown subcommand '${sub}'`,
        {
          hint:
            (sub === undefined ? undefined : didYouMean(sub, ['list', 'add', 'remove'])) ??
            `usage: ${USAGE}`,
        },
      );
    }
    const declared = dynamicPartitionNames(graphOf((await ctx.project()).project));
    if (sub === 'list' && name === undefined) return listNames(ctx, declared);
    if (name === undefined) {
      throw new EnvironmentError('E_USAGE', `missing the dynamic partitions name`, {
        hint: `usage: weir partitions ${sub} NAME KEY…`,
      });
    }
    if (!declared.has(name)) {
      throw new EnvironmentError(
        'E_NOT_FOUND',
        `no asset of the project has dynamic partitions '${name}'`,
        {
          hint:
            didYouMean(name, [...declared.keys()]) ??
            (declared.size === 0
              ? 'declare them with partitions: dynamicPartitions(NAME) on an asset'
              : `dynamic partitions: ${[...declared.keys()].join(', ')}`),
        },
      );
    }
    const instance =
      sub === 'list'
        ? await ctx.instance()
        : await ctx.writableInstance(`weir partitions ${sub} records the change`);
    const { output } = ctx;
    if (sub === 'list') {
      if (keys.length > 0)
        throw new EnvironmentError('E_USAGE', 'list takes one name', { hint: `usage: ${USAGE}` });
      const current = await instance.eventLog.dynamicPartitions(name);
      if (ctx.values.json) output.out(json(current));
      else if (current.length === 0)
        output.out(`${name} has no keys yet; add some with: weir partitions add ${name} KEY…\n`);
      else output.out(`${current.join('\n')}\n`);
      return 0;
    }
    if (keys.length === 0) {
      throw new EnvironmentError('E_USAGE', `give the keys to ${sub}`, {
        hint: `usage: weir partitions ${sub} ${name} KEY…`,
      });
    }
    const before = new Set(await instance.eventLog.dynamicPartitions(name));
    const unique = [...new Set(keys)];
    const changing = unique.filter((key) => (sub === 'add') !== before.has(key));
    // Nothing to change records nothing.
    const after =
      changing.length === 0
        ? [...before]
        : sub === 'add'
          ? await addDynamicPartitions(instance, name, changing)
          : await removeDynamicPartitions(instance, name, changing);
    if (ctx.values.json) {
      output.out(json({ name, [sub === 'add' ? 'added' : 'removed']: changing, keys: after }));
      return 0;
    }
    const verb = sub === 'add' ? 'Added' : 'Removed';
    const unchanged = unique.length - changing.length;
    output.out(
      `${verb} ${changing.length} key${changing.length === 1 ? '' : 's'} ${sub === 'add' ? 'to' : 'from'} ${name}${changing.length > 0 ? `: ${changing.join(', ')}` : ''}${unchanged > 0 ? ` (${unchanged} ${sub === 'add' ? 'already there' : 'not there'})` : ''}; it has ${after.length} now.\n`,
    );
    if (sub === 'add' && changing.length > 0) {
      const users = declared.get(name)!;
      output.out(
        `${paint(output, 'gray', `materialize them with: weir materialize ${users.join(',')} --partition ${changing.length === 1 ? changing[0] : changing.join(',')}`)}\n`,
      );
    }
    return 0;
  },
};

async function listNames(ctx: CommandContext, declared: Map<string, string[]>): Promise<number> {
  const instance = await ctx.instance();
  const rows: Array<{ name: string; keys: number; assets: string[] }> = [];
  for (const [name, assets] of declared) {
    rows.push({ name, keys: (await instance.eventLog.dynamicPartitions(name)).length, assets });
  }
  if (ctx.values.json) {
    ctx.output.out(json(rows));
    return 0;
  }
  if (rows.length === 0) {
    ctx.output.out('The project declares no dynamic partitions.\n');
    return 0;
  }
  ctx.output.out(
    `${table([['NAME', 'KEYS', 'ASSETS'], ...rows.map((r) => [r.name, String(r.keys), r.assets.join(', ')])])}\n`,
  );
  return 0;
}
