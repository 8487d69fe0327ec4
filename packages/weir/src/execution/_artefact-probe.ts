/**
 * @module execution/_artefact-probe
 * The cheap check of current artefacts that the read path makes, so `status` and `materialize`
 * do not call an asset fresh whose stored bytes are gone or were written over: each current
 * artefact of the selected (unpartitioned) assets must be there and not modified after its
 * materialization was recorded; one that was is hashed. Artefacts that rot without a write
 * (a bad disk) are found by reading them and by `weir verify`.
 */
import type { ArtefactStore } from '../artefacts/index.js';
import type { AssetGraph } from '../graph/index.js';
import type { AssetRecord, StatusRow } from '../storage/index.js';
import type { AssetState, StaleCause } from '../versioning/index.js';

type ArtefactCause = Extract<StaleCause, { category: 'artefact' }>;

/** Marks stale each selected asset whose current artefact is missing or corrupt. */
export async function probeArtefacts(
  graph: AssetGraph,
  artefacts: ArtefactStore,
  selected: ReadonlySet<string>,
  rows: ReadonlyMap<string, StatusRow>,
  records: ReadonlyMap<string, AssetRecord>,
  states: Map<string, AssetState>,
): Promise<void> {
  const probed: Array<{ key: string; location: string; storedAt: number }> = [];
  for (const key of selected) {
    const row = rows.get(key);
    if (row === undefined || row.usableId === 0 || !states.has(key)) continue;
    if (graph.node(key).kind !== 'asset') continue;
    // The usable materialization's artefact: from the row when it is the newest (as nearly
    // always), else from the record (read: the row did not show the asset fresh).
    if (row.usableId === row.materializationId) {
      probed.push({ key, location: row.location!, storedAt: row.endedAt });
      continue;
    }
    const usable = records.get(key)?.usable?.materialization;
    if (usable === undefined) continue;
    probed.push({ key, location: usable.artefact.location, storedAt: usable.endedAt });
  }
  const health =
    (await artefacts.verifyMany?.(probed)) ??
    (await Promise.all(probed.map((p) => artefacts.verify(p.location, p))));
  for (const [i, { key, location }] of probed.entries()) {
    const { status } = health[i]!;
    if (status === 'intact') continue;
    states.set(key, withCause(states.get(key)!, causeOf(key, location, status)));
  }
}

function causeOf(key: string, location: string, problem: ArtefactCause['problem']): ArtefactCause {
  const reason =
    problem === 'missing'
      ? `its artefact ${location} is missing`
      : problem === 'corrupt'
        ? `its artefact ${location} is corrupt (changed after it was stored)`
        : `its artefact ${location} cannot be read`;
  return { category: 'artefact', key, location, problem, reason };
}

function withCause(state: AssetState, cause: ArtefactCause): AssetState {
  return {
    ...state,
    status: state.status === 'fresh' ? 'stale' : state.status,
    causes: [cause, ...state.causes],
  };
}
