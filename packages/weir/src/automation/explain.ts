/**
 * @module automation/explain
 * Lines a person reads from an evaluation's result, for `weir why` and run records:
 * `gauges/daily_peaks[2026-11-20] requested: eager — upstream gauges/readings[2026-11-20] has
 * new data (materialized 10:02:03 by run r-…)`. Pure, from the result alone (and the asset's
 * space, to place partitions); partitions with the same reasons share a line per range.
 */
import { type PartitionSet, type PartitionSpace, unitLabel } from '../definitions/index.js';
import { clock, OWN_PHRASES, UPSTREAM_PHRASES } from './_phrases.js';
import { decodeSet, describeRanges, encodeSet, type KeyRanges } from './key-ranges.js';
import type { ConditionResult, UpstreamDetail } from './result.js';

export interface ExplainOptions {
  /** The asset's key. */
  key: string;
  /** Its partition space (now, or as of the evaluation: keys are matched, not indices). */
  space: PartitionSpace;
  /** Which partitions to explain; default the ones requested. Others say why not. */
  partitions?: PartitionSet;
  /** Time zone of the times shown; default UTC. */
  timeZone?: string;
  /** The evaluation's time: a change on that day shows its time only. */
  at?: number;
  /** Most lines; default 20, then `… and N more`. */
  maxLines?: number;
}

interface Reason {
  text: string;
  set: PartitionSet;
  /** Shown only when nothing else explains the partition. */
  weak?: boolean;
}

/**
 * Explains an evaluation, one line per range of partitions that share their reasons.
 *
 * @example
 * explainCondition(evaluation.result, { key: 'gauges/daily_peaks', space, at: now });
 * // ['gauges/daily_peaks[2026-11-20] requested: eager — upstream gauges/readings[2026-11-20] has new data (materialized 10:02:03 by run r-1)']
 */
export function explainCondition(result: ConditionResult, options: ExplainOptions): string[] {
  const explainer = new Explainer(options);
  const rootSet = explainer.setOf(result);
  const target = options.partitions ?? rootSet;
  const yes = target.intersect(rootSet);
  const no = target.difference(rootSet);
  const lines = [
    ...explainer.lines(yes, explainer.positive(result, yes), `requested: ${result.name}`),
    ...explainer.lines(no, explainer.negative(result, no), `not requested: ${result.name}`),
  ];
  const max = options.maxLines ?? 20;
  if (lines.length <= max) return lines;
  return [...lines.slice(0, max), `… and ${lines.length - max} more`];
}

class Explainer {
  private readonly sets = new Map<KeyRanges, PartitionSet>();
  private readonly timeZone: string;

  constructor(private readonly options: ExplainOptions) {
    this.timeZone = options.timeZone ?? 'UTC';
  }

  setOf(node: ConditionResult): PartitionSet {
    return this.decode(node.partitions);
  }

  private decode(ranges: KeyRanges): PartitionSet {
    let set = this.sets.get(ranges);
    if (set === undefined) {
      set = decodeSet(ranges, this.options.space);
      this.sets.set(ranges, set);
    }
    return set;
  }

  private time(ms: number): string {
    return clock(ms, this.timeZone, this.options.at);
  }

  /** Why `node` is true for `within` (a subset of its partitions). */
  positive(node: ConditionResult, within: PartitionSet): Reason[] {
    if (within.isEmpty()) return [];
    switch (node.type) {
      case 'and':
        return node.children.flatMap((child) => this.positive(child, within));
      case 'or':
        return this.firstTrue(node.children, within);
      case 'not':
        return [];
      case 'since': {
        const [trigger] = node.children;
        const now = within.intersect(this.setOf(trigger!));
        const earlier = within.difference(now);
        return [
          ...this.positive(trigger!, now),
          { text: `${node.name}: triggered at an earlier evaluation`, set: earlier, weak: true },
        ];
      }
      case 'newly-true': {
        const operand = node.children[0]!;
        if (operand.type === 'missing') return [{ text: 'it became missing', set: within }];
        if (operand.type === 'overdue') return [{ text: 'it became overdue', set: within }];
        return this.positive(operand, within).map((r) => ({ ...r, text: `${r.text} (newly)` }));
      }
      case 'cron-tick-passed':
        return [{ text: `${tickText(node, (t) => this.time(t))}`, set: within }];
      default:
        if (node.upstream !== undefined) return this.upstreamPositive(node, within);
        return phrase(node, 0, within);
    }
  }

  /** Why `node` is false for `within` (none of its partitions). */
  negative(node: ConditionResult, within: PartitionSet): Reason[] {
    if (within.isEmpty()) return [];
    switch (node.type) {
      case 'and': {
        const reasons: Reason[] = [];
        let rest = within;
        for (const child of node.children) {
          const part = rest.difference(this.setOf(child));
          reasons.push(...this.negative(child, part));
          rest = rest.difference(part);
        }
        return reasons;
      }
      case 'or':
        return node.children.flatMap((child) => this.negative(child, within));
      case 'not':
        return this.positive(node.children[0]!, within);
      case 'since':
        return [{ text: `${node.name} is not true (${node.description})`, set: within }];
      case 'newly-true': {
        const operand = node.children[0]!;
        const already = within.intersect(this.setOf(operand));
        return [
          { text: `${operand.name} was already true at the previous evaluation`, set: already },
          ...this.negative(operand, within.difference(already)),
        ];
      }
      case 'upstreams-updated-since-cron':
        return this.awaited(node, within);
      default:
        if (node.upstream !== undefined) return [{ text: `not: ${node.description}`, set: within }];
        return phrase(node, 1, within);
    }
  }

  private firstTrue(children: readonly ConditionResult[], within: PartitionSet): Reason[] {
    const reasons: Reason[] = [];
    let rest = within;
    for (const child of children) {
      const part = rest.intersect(this.setOf(child));
      reasons.push(...this.positive(child, part));
      rest = rest.difference(part);
    }
    return reasons;
  }

  private upstreamPositive(node: ConditionResult, within: PartitionSet): Reason[] {
    const template = UPSTREAM_PHRASES[node.type] ?? node.description;
    const reasons: Reason[] = [];
    for (const detail of node.upstream ?? []) {
      let rest = within.intersect(this.decode(detail.partitions));
      const requested = rest.intersect(this.decode(detail.requested ?? []));
      if (!requested.isEmpty()) {
        const keys = bracket(detail.requestedUpstream);
        reasons.push({
          text: `upstream ${detail.parent}${keys} is requested in this evaluation`,
          set: requested,
        });
        rest = rest.difference(requested);
      }
      for (const change of detail.changes ?? []) {
        const set = rest.intersect(this.decode(change.readers));
        if (set.isEmpty()) continue;
        reasons.push({ text: this.changeText(node, detail, change), set });
        rest = rest.difference(set);
      }
      if (!rest.isEmpty()) reasons.push({ text: template.replace('%', detail.parent), set: rest });
    }
    return reasons;
  }

  private changeText(
    node: ConditionResult,
    detail: UpstreamDetail,
    change: NonNullable<UpstreamDetail['changes']>[number],
  ): string {
    const what =
      node.type === 'upstreams-updated-since-cron'
        ? `was updated since the ${node.tick === undefined ? '' : `${this.time(node.tick)} `}tick`
        : 'has new data';
    const by = change.runId === undefined ? '' : ` by run ${change.runId}`;
    const trigger = change.trigger === undefined ? '' : `, ${change.trigger}`;
    return `upstream ${detail.parent}${bracket(change.upstream)} ${what} (${change.kind} ${this.time(change.at)}${by}${trigger})`;
  }

  /** The parents an `upstreams-updated-since-cron` still waits for. */
  private awaited(node: ConditionResult, within: PartitionSet): Reason[] {
    const tick = node.tick === undefined ? 'latest' : `${this.time(node.tick)}`;
    const reasons = (node.upstream ?? []).map((detail) => ({
      text: `upstream ${detail.parent} was not updated since the ${tick} tick`,
      set: within.difference(this.decode(detail.partitions)),
    }));
    return node.tick === undefined
      ? [{ text: 'its cron has not ticked yet', set: within }]
      : reasons;
  }

  /** One line per range of each group of partitions with the same reasons. */
  lines(target: PartitionSet, reasons: readonly Reason[], verdict: string): string[] {
    const groups = groupByReasons(target, reasons);
    const lines: string[] = [];
    for (const { set, texts } of groups) {
      const strong = texts.filter((t) => !t.weak).map((t) => t.text);
      const shown = strong.length > 0 ? strong : texts.map((t) => t.text);
      const because = shown.length > 0 ? ` — ${[...new Set(shown)].join('; ')}` : '';
      for (const range of encodeSet(set, this.options.space)) {
        const label = unitLabel(this.options.key, typeof range === 'string' ? [range] : [...range]);
        lines.push(`${label} ${verdict}${because}`);
      }
    }
    return lines;
  }
}

function groupByReasons(
  target: PartitionSet,
  reasons: readonly Reason[],
): Array<{ set: PartitionSet; texts: Reason[] }> {
  let groups: Array<{ set: PartitionSet; texts: Reason[] }> = target.isEmpty()
    ? []
    : [{ set: target, texts: [] }];
  for (const reason of reasons) {
    if (reason.set.isEmpty() || reason.text === '') continue;
    groups = groups.flatMap((group) => {
      const inside = group.set.intersect(reason.set);
      if (inside.isEmpty()) return [group];
      const outside = group.set.difference(reason.set);
      const split = [{ set: inside, texts: [...group.texts, reason] }];
      return outside.isEmpty() ? split : [...split, { set: outside, texts: group.texts }];
    });
  }
  return groups;
}

function phrase(node: ConditionResult, which: 0 | 1, within: PartitionSet): Reason[] {
  const phrases = OWN_PHRASES[node.type];
  const text =
    phrases === undefined ? `${which === 0 ? '' : 'not: '}${node.description}` : phrases[which];
  return [{ text, set: within, ...(node.type === 'initial-evaluation' ? { weak: true } : {}) }];
}

function tickText(node: ConditionResult, time: (ms: number) => string): string {
  return node.tick === undefined ? node.description : `${node.description} (${time(node.tick)})`;
}

/** `[2026-11-20]`, `[a…b]`, `[a, b and 3 more]`, or nothing for an unpartitioned parent. */
function bracket(ranges: KeyRanges | undefined): string {
  if (ranges === undefined || ranges.length === 0) return '';
  if (ranges.length === 1 && ranges[0] === '') return '';
  return `[${describeRanges(ranges, 2)}]`;
}
