/**
 * @module server/_asset-view
 * An asset as its page shows it: what the definition declares, its state with the causes in
 * words (the same causes as `weir why`), and a partition map compact enough for 100,000
 * partitions (one letter per partition).
 */
import {
  type AnyAssetDefinition,
  type JsonValue,
  locatedIn,
  type PartitionSet,
} from '../definitions/index.js';
import type { WhyReport } from '../execution/index.js';
import type { AssetGraph } from '../graph/index.js';
import { type AssetState, type PartitionedState, summarize } from '../versioning/index.js';

/** Definitions are plain data (keys, cron strings, partition specs): a JSON copy drops functions. */
const plain = (value: unknown): JsonValue =>
  value === undefined ? null : (JSON.parse(JSON.stringify(value)) as JsonValue);

export function definitionBody(graph: AssetGraph, key: string) {
  const node = graph.node(key);
  const definition: AnyAssetDefinition = node.definition;
  return {
    key,
    kind: node.kind,
    description: definition.description ?? null,
    group: node.group ?? null,
    /** The code location that runs it (docs/locations.md); null: the project's own. */
    location: locatedIn(definition) ?? null,
    owners: [...node.owners],
    kinds: [...node.kinds],
    tags: { ...node.tags },
    metadata: plain(definition.metadata ?? {}),
    upstream: [...node.parents],
    downstream: [...node.children],
    inputs: Object.fromEntries(node.inputs),
    partitions: plain(node.partitions),
    checks:
      definition.kind === 'asset'
        ? definition.checks.map((check) => ({
            name: check.name,
            description: check.description ?? null,
            severity: check.severity,
            blocking: check.blocking,
          }))
        : [],
    freshness: plain(definition.freshness),
    /** A policy per partition (a function: shown as its partitions' outcomes in the state). */
    freshnessPerPartition: definition.partitionFreshness !== undefined,
    automation:
      definition.kind === 'asset' && definition.automation !== undefined
        ? definition.automation.name
        : null,
    codeVersion: definition.kind === 'asset' ? (definition.codeVersion ?? null) : null,
  };
}

export function stateBody(report: WhyReport) {
  const { state } = report;
  return {
    status: state.status,
    summary: summarize(state),
    causes: state.causes.map((cause) => ({ ...cause })),
    warnings: [...state.warnings],
    freshness: state.freshness === undefined ? null : { ...state.freshness },
    ...(state.partitionFreshness === undefined
      ? {}
      : { partitionFreshness: Object.fromEntries(state.partitionFreshness) }),
    codeVersion: state.codeVersion,
    dataVersion: state.dataVersion ?? null,
    current: report.current ?? null,
    upstream: Object.values(report.upstream).map((up: AssetState) => ({
      key: up.key,
      status: up.status,
      summary: summarize(up),
    })),
  };
}

const LETTER = { fresh: 'f', stale: 's', missing: 'm', failed: 'x' } as const;

/** One letter per partition in space order: f fresh, s stale, m missing, x failed. */
export function partitionLetters(state: PartitionedState): string {
  const letters = new Uint8Array(state.space.size);
  const fill = (set: PartitionSet, letter: string) => {
    const code = letter.charCodeAt(0);
    for (const [start, end] of set.ranges()) letters.fill(code, start, end);
  };
  fill(state.fresh, LETTER.fresh);
  fill(state.stale, LETTER.stale);
  fill(state.missing, LETTER.missing);
  fill(state.failed, LETTER.failed);
  return Buffer.from(letters).toString('latin1');
}
