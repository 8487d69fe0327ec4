/** Projects and histories shared by the benchmarks. */
import {
  type AnyAssetDefinition,
  type AssetDefinition,
  asset,
  type Instance,
  type StoredEvent,
  type WeirEvent,
} from 'weir';

/**
 * A realistic materialization of partition `partition` of a daily asset: provenance with two
 * inputs (one of them partitioned), an artefact location, metadata.
 */
export function partitionMaterialization(i: number, partition: string, runId = 'bench'): WeirEvent {
  return {
    type: 'asset:materialized',
    runId,
    assetKey: 'gauges/day_summary',
    partition,
    timestamp: Date.now(),
    materialization: {
      dataVersion: `sha256-${i.toString(16).padStart(60, '0')}`,
      codeVersion: 'a1b2c3d4e5f60718',
      inputs: {
        'gauges/readings': { dataVersion: `sha256-${'r'.repeat(58)}`, eventId: 7 },
        'gauges/stations': {
          dataVersion: `sha256-${'s'.repeat(58)}`,
          eventId: 9,
          partitionCount: 1,
          partitions: [partition],
        },
      },
      configHash: 'c0ffee',
      artefact: {
        format: 'json',
        location: `objects/ab/${i.toString(16).padStart(64, 'a')}`,
        contentHash: `${i}`,
        size: 321,
        type: 'blob',
      },
      startedAt: Date.now(),
      endedAt: Date.now(),
      host: 'bench-host',
      weirVersion: '0.0.0',
      metadata: { rows: 3, stations: 3 },
    },
  };
}

export const layeredKey = (layer: number, i: number) =>
  `layer${String(layer).padStart(3, '0')}/asset${String(i).padStart(3, '0')}`;

interface Cell {
  layer: number;
  i: number;
  value: number;
}

/**
 * `layers` layers of `width` assets; each asset below the first reads two of the layer above
 * (`left`: the same position, `right`: a shuffled one). With `groupEvery`, layers fall into
 * groups of that many (`g00`, `g01`, …).
 */
export function layeredAssets(
  layers: number,
  width: number,
  groupEvery?: number,
): AnyAssetDefinition[] {
  const assets: AnyAssetDefinition[] = [];
  let above: AssetDefinition<string, Cell>[] = [];
  for (let layer = 0; layer < layers; layer++) {
    const current: AssetDefinition<string, Cell>[] = [];
    const group =
      groupEvery === undefined
        ? {}
        : { group: `g${String(Math.floor(layer / groupEvery)).padStart(2, '0')}` };
    for (let i = 0; i < width; i++) {
      current.push(
        layer === 0
          ? asset({
              key: layeredKey(layer, i),
              ...group,
              materialize: (): Cell => ({ layer: 0, i, value: i }),
            })
          : asset({
              key: layeredKey(layer, i),
              ...group,
              ins: { left: above[i]!, right: above[(i * 7 + 3) % width]! },
              materialize: (_ctx, { left, right }): Cell => ({
                layer,
                i,
                value: (left.value + right.value) % 1_000_003,
              }),
            }),
      );
    }
    assets.push(...current);
    above = current;
  }
  return assets;
}

/**
 * Records `history` − 1 more forced runs by copying the events of the first (real) one, with
 * each materialization's provenance re-pointed at the new upstream events.
 */
export async function appendHistory(
  instance: Instance,
  firstRunId: string,
  history: number,
): Promise<void> {
  const { eventLog } = instance;
  const template = await eventLog.events({ runId: firstRunId });
  const started = template.find((e) => e.type === 'run:started')!;
  const finished = template.find((e) => e.type === 'run:finished')!;
  const materialized = template.filter(
    (e): e is StoredEvent<'asset:materialized'> => e.type === 'asset:materialized',
  );
  for (let run = 1; run < history; run++) {
    const runId = `history-${run}`;
    let now = started.timestamp + run * 60_000;
    const strip = <T extends StoredEvent>({ id: _id, ...event }: T) => event;
    await eventLog.append([{ ...strip(started), runId, timestamp: now, force: true } as WeirEvent]);
    const currentId = new Map<string, number>();
    for (const event of materialized) {
      now += 1;
      const inputs = Object.fromEntries(
        Object.entries(event.materialization.inputs).map(([key, input]) => [
          key,
          { ...input, eventId: currentId.get(key) ?? input.eventId },
        ]),
      );
      const [, stored] = await eventLog.append([
        {
          type: 'step:started',
          runId,
          assetKey: event.assetKey,
          partition: event.partition,
          timestamp: now,
          attempt: 1,
        },
        {
          ...strip(event),
          runId,
          timestamp: now,
          materialization: { ...event.materialization, inputs, startedAt: now, endedAt: now },
        },
      ]);
      currentId.set(event.assetKey, stored!.id);
    }
    await eventLog.append([{ ...strip(finished), runId, timestamp: now + 1 } as WeirEvent]);
  }
}
