/**
 * @module cli/commands/list
 * `weir list`: the assets of a selection with their attributes.
 */
import { graphOf, selectKeys } from '../../execution/index.js';
import type { Command } from '../command.js';
import { json, table } from '../format.js';

export const listCommand: Command = {
  name: 'list',
  summary: 'List the assets a selection names, with their upstream and attributes',
  usage: 'weir list [SELECTION] [--json]',
  options: {},
  async run(ctx) {
    const loaded = await ctx.project();
    const graph = graphOf(loaded.project);
    // With code locations, each asset's location (the project's own: `-`).
    const locationOf = loaded.locations?.locationOf;
    const unavailableOf = loaded.locations?.unavailableOf;
    const where = (key: string) => {
      const away = unavailableOf?.get(key);
      return locationOf?.get(key) ?? (away === undefined ? '-' : `${away} (not loaded)`);
    };
    const selected = selectKeys(
      graph,
      ctx.positionals.length === 0 ? undefined : ctx.positionals.join(','),
    );
    const nodes = graph.keys.filter((key) => selected.has(key)).map((key) => graph.node(key));
    if (ctx.values.json) {
      ctx.output.out(
        json(
          nodes.map((n) => ({
            key: n.key,
            kind: n.kind,
            parents: n.parents,
            group: n.group ?? null,
            owners: n.owners,
            kinds: n.kinds,
            tags: n.tags,
            description: n.definition.description ?? null,
            ...(locationOf === undefined
              ? {}
              : {
                  location: locationOf.get(n.key) ?? unavailableOf?.get(n.key) ?? null,
                  ...(unavailableOf?.has(n.key) ? { locationLoaded: false } : {}),
                }),
          })),
        ),
      );
      return 0;
    }
    const rows = nodes.map((n) => [
      n.key,
      ...(locationOf === undefined ? [] : [where(n.key)]),
      n.kind,
      n.group ?? '',
      n.kinds.join(', '),
      n.parents.join(', '),
      n.definition.description ?? '',
    ]);
    // TYPE is asset or source; KINDS are what `kind:` selects.
    ctx.output.out(
      `${table([['ASSET', ...(locationOf === undefined ? [] : ['LOCATION']), 'TYPE', 'GROUP', 'KINDS', 'UPSTREAM', 'DESCRIPTION'], ...rows])}\n`,
    );
    return 0;
  },
};
