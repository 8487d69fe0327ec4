/**
 * @module execution/_previous
 * `ctx.previous()`: the step's own current materialization, for incremental assets.
 */
import type { PreviousMaterialization, StepLogger } from '../definitions/index.js';
import type { AssetNode } from '../graph/index.js';
import type { RunContext } from './_run-context.js';
import type { StepUnit } from './_units.js';
import { loadValue } from './_values.js';

export async function previousOf(
  run: RunContext,
  node: AssetNode,
  unit: StepUnit,
  log: StepLogger,
): Promise<PreviousMaterialization | undefined> {
  if (!run.previousAvailable) return undefined;
  const partition = unit.keys[0]!;
  if (run.versions.isPartitioned(node.key)) await run.versions.load(node.key, [partition]);
  const event = run.versions.event(node.key, partition);
  if (event?.type !== 'asset:materialized') return undefined;
  let value: unknown;
  const { artefact } = event.materialization;
  if (artefact.format === 'files') {
    // A file built upon is hashed in full: a changed byte whose time was put back would pass
    // the cheap check, and an update would carry it into every later version.
    const health = await run.artefacts.verify(artefact.location, { deep: true });
    if (health.status !== 'intact') {
      log.warn(
        `ctx.previous(): the previous materialization cannot be read, so there is none: its artefact ${artefact.location} is ${health.status}`,
      );
      return undefined;
    }
  }
  try {
    value = await loadValue(
      run.artefacts,
      { assetKey: node.key, partition, materialization: event.materialization },
      (location) => run.readArtefact(location),
    );
  } catch (error) {
    log.warn(
      `ctx.previous(): the previous materialization cannot be read, so there is none: ${(error as Error).message}`,
    );
    return undefined;
  }
  const { dataVersion, codeVersion, endedAt, startedAt, inputs } = event.materialization;
  return {
    value,
    dataVersion,
    codeVersion,
    materializedAt: new Date(endedAt ?? startedAt ?? event.timestamp),
    inputs: Object.fromEntries(
      Object.entries(inputs).map(([key, input]) => [key, input.dataVersion]),
    ),
  };
}
