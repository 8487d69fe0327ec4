/**
 * @module cli/_lineage
 * `weir why --lineage`: the tree of values a value was made from, down to the sources.
 */
import type { LineageNode } from '../execution/index.js';
import { shortVersion } from '../hash.js';

/** The tree as lines: one per value, its producer, code and data versions. */
export function renderLineage(root: LineageNode, time: (ms: number) => string): string {
  const lines = ['lineage (the values it was made from, down to the sources):'];
  const visit = (node: LineageNode, prefix: string, last: boolean, top: boolean) => {
    const branch = top ? '  ' : `${prefix}${last ? '└─ ' : '├─ '}`;
    lines.push(`${branch}${describe(node, time)}`);
    const inputs = node.inputs ?? [];
    const childPrefix = top ? '  ' : `${prefix}${last ? '   ' : '│  '}`;
    for (const [i, input] of inputs.entries()) {
      visit(input, childPrefix, i === inputs.length - 1, false);
    }
  };
  visit(root, '', true, true);
  return `${lines.join('\n')}\n`;
}

function describe(node: LineageNode, time: (ms: number) => string): string {
  const label = node.partition === undefined ? node.key : `${node.key}[${node.partition}]`;
  const data = node.dataVersion === undefined ? '' : `data ${short(node.dataVersion)}`;
  if (node.kind === 'unknown')
    return `${label}  ${data}  (event ${node.eventId}, no longer in the log)`;
  if (node.kind === 'unrecorded') {
    return `${label}  ${node.partitionCount} partitions read (combined ${data}): which versions cannot be told from the log (they were not recorded one by one, and today's mapping or history gives others)`;
  }
  const when = node.timestamp === undefined ? '' : `, ${time(node.timestamp)}`;
  const by =
    node.kind === 'observation'
      ? `observed (event ${node.eventId}${when})`
      : `run ${node.runId ?? '?'} (event ${node.eventId}${when}) · code ${node.codeVersion}`;
  return `${label}  ${data} · ${by}${node.repeated ? '  (shown above)' : ''}`;
}

/** A hash to its first 12 digits; any other version (an ETag, a count) kept unless long. */
function short(version: string): string {
  if (/^[0-9a-f]{13,}$/.test(version)) return shortVersion(version);
  return version.length > 24 ? `${version.slice(0, 12)}…` : version;
}
