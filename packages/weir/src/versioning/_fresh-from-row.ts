/**
 * @module versioning/_fresh-from-row
 * The fast path of staleness: an unpartitioned asset shown fresh by its status row alone
 * (ids, code version, the input versions it read), without its record. Anything the row
 * cannot show fresh (a failure, a failing or blocking check, a change, an input that is not
 * fresh or is partitioned) goes to the full resolution, which explains it; so the state made
 * here is exactly the one that resolution would make for a fresh asset.
 */
import type { AssetNode } from '../graph/index.js';
import { type StatusRow, sameInputVersions } from '../storage/index.js';
import { freshnessOf } from './_freshness.js';
import { codeVersionOf } from './code-version.js';
import type { AssetState } from './stale-status.js';

/**
 * The state of `node` (an unpartitioned asset) when its row shows it fresh: its newest
 * materialization is the usable one, no failure and no failing check came after or on it,
 * its code version is current, and it read every upstream (and nothing else) at the version
 * that upstream has now, each upstream being fresh. Undefined otherwise.
 */
export function freshFromRow(
  node: AssetNode,
  row: StatusRow,
  states: ReadonlyMap<string, AssetState>,
  now: number,
): AssetState | undefined {
  const id = row.materializationId;
  if (id === 0 || row.usableId !== id || row.observationId !== 0) return undefined;
  if (row.failureId > id || row.failingCheck || row.inputVersions === undefined) return undefined;
  const codeVersion = codeVersionOf(node.definition);
  if (row.codeVersion !== codeVersion) return undefined;
  const { parents } = node;
  for (let i = 0; i < parents.length; i++) {
    const parent = states.get(parents[i]!);
    if (parent?.status !== 'fresh' || parent.partitions !== undefined) return undefined;
  }
  const versionOf = (parent: string) => states.get(parent)!.dataVersion;
  if (!sameInputVersions(row.inputVersions, parents, versionOf)) return undefined;
  return {
    key: node.key,
    kind: 'asset',
    status: 'fresh',
    causes: [],
    dataVersion: row.dataVersion,
    codeVersion,
    // Filled in by resolveStaleness once the records staleness needs are read.
    record: undefined,
    warnings: [],
    freshness: freshnessOf(node.definition.freshness, row.endedAt, now),
  };
}
