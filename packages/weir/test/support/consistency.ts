/**
 * A consistency checker for an embedded instance after faults (kill -9, concurrent writers):
 * every materialization's artefact exists and hashes to its recorded content hash, and the
 * index tables equal a rebuild from the events alone. Used by the fault-injection tests and
 * by bench/kill-loop.ts.
 */
import { join } from 'node:path';
import { hashTree } from '../../src/artefacts/_tree-hash.js';
import { openInstance } from '../../src/index.js';
import type { EventLog } from '../../src/storage/event-log.js';

export interface ConsistencyReport {
  materializations: number;
  /** One line per problem found; empty when consistent. */
  problems: string[];
}

/** Checks the instance in `dir` (its `.weir` folder or the folder itself). */
export async function checkConsistency(instanceDir: string): Promise<ConsistencyReport> {
  const instance = openInstance({ dir: instanceDir });
  const problems: string[] = [];
  let materializations = 0;
  try {
    const { eventLog } = instance;
    for (let afterId = 0; ; ) {
      const page = await eventLog.events({ afterId, types: ['asset:materialized'], limit: 500 });
      if (page.length === 0) break;
      afterId = page[page.length - 1]!.id;
      for (const event of page) {
        if (event.type !== 'asset:materialized') continue;
        materializations++;
        const { artefact } = event.materialization;
        const path = join(instanceDir, 'artefacts', artefact.location);
        const label = `${event.assetKey}${event.partition ? `[${event.partition}]` : ''} (event ${event.id})`;
        let hash: string;
        try {
          hash = contentHash(path);
        } catch (error) {
          problems.push(
            `${label}: artefact ${artefact.location} unreadable: ${(error as Error).message}`,
          );
          continue;
        }
        if (hash !== artefact.contentHash) {
          problems.push(`${label}: artefact ${artefact.location} hashes to ${hash}`);
        }
      }
    }
    problems.push(...(await indexProblems(eventLog)));
  } finally {
    await instance.close();
  }
  return { materializations, problems };
}

/** Differences between the index as it is and as a rebuild from the events makes it. */
async function indexProblems(eventLog: EventLog): Promise<string[]> {
  const before = await indexSnapshot(eventLog);
  await eventLog.rebuildIndexes();
  const after = await indexSnapshot(eventLog);
  const problems: string[] = [];
  for (const [part, value] of Object.entries(before)) {
    const rebuilt = JSON.stringify(after[part as keyof typeof after]);
    if (JSON.stringify(value) !== rebuilt) problems.push(`index ${part} differs from a rebuild`);
  }
  return problems;
}

async function indexSnapshot(eventLog: EventLog) {
  const latest = (await eventLog.latest()).sort((a, b) => a.assetKey.localeCompare(b.assetKey));
  const keys = new Set<string>();
  for (const event of await eventLog.events({ types: ['asset:materialized', 'step:started'] })) {
    if ('partition' in event && event.partition !== '') keys.add(event.assetKey);
  }
  const partitions: Record<string, unknown> = {};
  const leases: Record<string, unknown> = {};
  for (const key of [...keys].sort()) {
    const states = await eventLog.partitionStates(key);
    const rows = states.partitions
      .map((p, i) => [
        p,
        states.materializationId[i],
        states.usableId[i],
        states.dataChangedId[i],
        states.inputsAsOf[i],
        states.failureId[i],
        states.codeVersions[states.codeVersion[i]!],
      ])
      .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    partitions[key] = rows;
    leases[key] = (await eventLog.leases(key, states.partitions)).map((l) => [
      l.partition,
      l.runId,
      l.startedId,
    ]);
  }
  for (const record of latest) {
    leases[record.assetKey] = (await eventLog.leases(record.assetKey, [''])).map((l) => [
      l.runId,
      l.startedId,
    ]);
  }
  return { latest, partitions, leases, runs: await eventLog.runs({ limit: 10_000 }) };
}

/** SHA-256 of a file, or of a directory's manifest: the store's own hash. */
function contentHash(path: string): string {
  return hashTree(path).hash;
}
