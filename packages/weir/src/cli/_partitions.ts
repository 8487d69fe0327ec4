/**
 * @module cli/_partitions
 * What several commands share about partitions: the `--partition`/`--from`/`--to` options,
 * labels like `key[2024-01-03]`, and the dynamic partitions a project declares.
 */
import { dynamicNames } from '../definitions/index.js';
import { EnvironmentError } from '../errors.js';
import type { PartitionRequest } from '../execution/index.js';
import type { AssetGraph } from '../graph/index.js';
import { type CommandContext, type OptionSpec, stringOption } from './command.js';

export const PARTITION_OPTIONS: OptionSpec = {
  partition: { type: 'string', multiple: true },
  from: { type: 'string' },
  to: { type: 'string' },
};

/**
 * The partitions `--partition KEY` (repeatable, or comma-separated) and `--from A --to B`
 * ask for, or undefined when none was given.
 */
export function partitionRequest(ctx: CommandContext, usage: string): PartitionRequest | undefined {
  const given = ctx.values.partition;
  const keys = (Array.isArray(given) ? given : typeof given === 'string' ? [given] : [])
    .flatMap((key) => key.split(','))
    .map((key) => key.trim());
  if (keys.some((key) => key === '')) {
    throw new EnvironmentError('E_USAGE', '--partition takes a partition key, got an empty one', {
      hint: `usage: ${usage}`,
    });
  }
  const from = stringOption(ctx.values.from);
  const to = stringOption(ctx.values.to);
  if ((from === undefined) !== (to === undefined)) {
    throw new EnvironmentError(
      'E_USAGE',
      `${from === undefined ? '--to' : '--from'} needs ${from === undefined ? '--from' : '--to'}: a range includes both ends`,
      { hint: `usage: ${usage}` },
    );
  }
  if (keys.length === 0 && from === undefined) return undefined;
  const request: PartitionRequest = {};
  if (keys.length > 0) request.keys = keys;
  if (from !== undefined && to !== undefined) {
    request.from = from;
    request.to = to;
  }
  return request;
}

/** `key`, or `key[partition]` for a partition. */
export function partitionLabel(key: string, partition: string): string {
  return partition === '' ? key : `${key}[${partition}]`;
}

/** How a request reads: `2024-01-01 … 2024-01-31`, `a, b, c`, or both. */
export function describeRequest(request: {
  from?: string;
  to?: string;
  keys?: readonly string[];
  partitions?: readonly string[];
}): string {
  const parts: string[] = [];
  if (request.from !== undefined) parts.push(`${request.from} … ${request.to ?? request.from}`);
  const keys = request.keys ?? request.partitions ?? [];
  if (keys.length > 0)
    parts.push(
      keys.length <= 3
        ? keys.join(', ')
        : `${keys.slice(0, 2).join(', ')} +${keys.length - 2} more`,
    );
  return parts.join(' and ');
}

/** The dynamic partitions names a project's assets use, with the assets using each. */
export function dynamicPartitionNames(graph: AssetGraph): Map<string, string[]> {
  const names = new Map<string, string[]>();
  for (const key of graph.keys) {
    for (const name of new Set(dynamicNames(graph.node(key).partitions))) {
      names.set(name, [...(names.get(name) ?? []), key]);
    }
  }
  return names;
}
