/**
 * @module execution/planner
 * Pure planning: which selected assets to run, given their states. No I/O.
 */
import type { AssetGraph } from '../graph/index.js';
import type { AssetState } from '../versioning/index.js';

export interface BlockedStep {
  key: string;
  reason: string;
  blockedBy: string[];
}

export interface Plan {
  /** Assets to materialize, upstream first. */
  steps: string[];
  /**
   * Planned steps whose only reason to run is an upstream step in the same plan. Each is
   * skipped at run time if every such upstream comes out with the data version it last read.
   */
  conditional: string[];
  /** Selected assets that are up to date and will not run. */
  upToDate: string[];
  /** Selected assets that cannot run, and why. */
  blocked: BlockedStep[];
  /** Selected assets left stale because an unselected upstream is stale. */
  staleUpstream: Array<{ key: string; upstream: Array<{ key: string; status: string }> }>;
}

export interface PlanOptions {
  force?: boolean;
  /** Source assets whose observation failed in this run. */
  failedSources?: ReadonlySet<string>;
}

/**
 * Plans a run over `selection`. An asset runs when forced, when it has a cause of its own
 * (missing, code changed, an input moved on, last attempt failed), or when an upstream
 * runs in the same plan. An upstream that is stale but not selected does not make it run:
 * rerunning would read the same inputs. It cannot run while an upstream it needs has no
 * version and is not planned.
 */
export function planRun(
  graph: AssetGraph,
  selection: ReadonlySet<string>,
  states: ReadonlyMap<string, AssetState>,
  options: PlanOptions = {},
): Plan {
  const plan: Plan = { steps: [], conditional: [], upToDate: [], blocked: [], staleUpstream: [] };
  const planned = new Set<string>();
  const blocked = new Set<string>();
  for (const key of graph.keys) {
    if (!selection.has(key)) continue;
    const node = graph.node(key);
    if (node.kind === 'source') continue;
    const blockers: string[] = [];
    const reasons: string[] = [];
    let upstreamRuns = false;
    const staleUpstream: Array<{ key: string; status: string }> = [];
    for (const parent of node.parents) {
      if (planned.has(parent)) {
        upstreamRuns = true;
        continue;
      }
      const parentState = states.get(parent);
      if (blocked.has(parent)) {
        blockers.push(parent);
        reasons.push(`upstream ${parent} cannot run`);
      } else if (options.failedSources?.has(parent)) {
        blockers.push(parent);
        reasons.push(`source ${parent} could not be observed`);
      } else if (parentState?.dataVersion === undefined) {
        blockers.push(parent);
        reasons.push(
          parentState?.kind === 'source'
            ? `source ${parent} has never been observed`
            : parentState?.record?.materialization !== undefined
              ? `upstream ${parent} has no version that passed its blocking checks`
              : `upstream ${parent} has never been materialized and is not selected (select it too, e.g. +${key})`,
        );
      } else if (parentState.status !== 'fresh') {
        staleUpstream.push({ key: parent, status: parentState.status });
      }
    }
    if (blockers.length > 0) {
      blocked.add(key);
      plan.blocked.push({ key, reason: reasons.join('; '), blockedBy: blockers });
      continue;
    }
    const state = states.get(key);
    const ownCause = state?.causes.some((cause) => cause.category !== 'dependency') ?? true;
    if (options.force || upstreamRuns || ownCause) {
      planned.add(key);
      plan.steps.push(key);
      if (!options.force && !ownCause) plan.conditional.push(key);
    } else {
      plan.upToDate.push(key);
      if (staleUpstream.length > 0) plan.staleUpstream.push({ key, upstream: staleUpstream });
    }
  }
  return plan;
}
