/**
 * Daemon evaluation cost: one `Daemon.pass()` over a project of N assets, every one with an
 * `eager()` condition (layers of 100, each asset reading two of the layer above; the first
 * layer reads one source each), all materialized:
 *
 * - nothing new in the log (the pass only checks it);
 * - an event that changes nothing (the conditions are evaluated, nothing is requested);
 * - 1 change reaching one asset (a source read by one leaf), 1 change reaching about half the
 *   graph (a first-layer source: each asset reads two of the layer above, so its downstream
 *   cone widens layer by layer), 100 changes (the conditions request their downstream; the
 *   pass includes planning the run it launches, not running it).
 *
 * Baseline in the same run: reading the status rows of every asset (`eventLog.statusRows()`),
 * the least a pass that looks at the whole graph must read.
 * Targets (issue 16): nothing changed ≤ 5 ms, 1 change ≤ 20 ms (here: the change reaching one
 * asset), growing with the changes, not the graph.
 *
 * Run: npm run bench -- daemon-evaluation [--assets N] [--repeats N]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type AnyAssetDefinition,
  asset,
  Daemon,
  defineProject,
  eager,
  materialize,
  openInstance,
  sourceAsset,
} from 'weir';
import { gc, median, option, table } from './_report.js';

const ASSETS = Number(option('assets') ?? 10_000);
const REPEATS = Number(option('repeats') ?? 5);
const WIDTH = 100;

const versions = new Map<string, string>();

function project() {
  const defs: AnyAssetDefinition[] = [];
  let previous: AnyAssetDefinition[] = [];
  for (let layer = 0; layer * WIDTH < ASSETS; layer++) {
    const current: AnyAssetDefinition[] = [];
    for (let i = 0; i < WIDTH && layer * WIDTH + i < ASSETS; i++) {
      const key = `l${layer}/a${i}`;
      if (layer === 0) {
        const source = sourceAsset({
          key: `src/s${i}`,
          observe: () => versions.get(`src/s${i}`) ?? 'v0',
        });
        defs.push(source);
        current.push(asset({ key, deps: [source], automation: eager(), materialize: () => i }));
      } else {
        const [x, y] = [previous[i]!, previous[(i + 1) % previous.length]!];
        current.push(
          asset({ key, deps: [x.key, y.key], automation: eager(), materialize: () => i }),
        );
      }
    }
    defs.push(...current);
    previous = current;
  }
  // A change that reaches one asset: a source read by a leaf of the last layer only.
  const alone = sourceAsset({ key: 'src/alone', observe: () => versions.get('src/alone') ?? 'v0' });
  defs.push(
    alone,
    asset({ key: 'leaf/alone', deps: [alone], automation: eager(), materialize: () => 0 }),
  );
  return defineProject({ assets: defs, concurrency: 8 });
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'weir-bench-eval-'));
  const instance = openInstance({ dir: join(dir, '.weir') });
  const defs = project();
  const built = performance.now();
  await materialize(defs, { instance });
  const buildMs = performance.now() - built;
  let clock = Date.now();
  const daemon = new Daemon(defs, { instance, now: () => clock, maxRuns: 1 });
  await daemon.pass(); // claims the role, records freshness, the first evaluation
  await daemon.idle();
  const samples: Record<string, number[]> = {
    baseline: [],
    idle: [],
    nothing: [],
    alone: [],
    one: [],
    hundred: [],
  };
  let n = 0;
  const change = async (count: number, key = (i: number) => `src/s${i}`) => {
    n += 1;
    const events = Array.from({ length: count }, (_, i) => {
      versions.set(key(i), `v${n}`);
      return {
        type: 'asset:observed' as const,
        assetKey: key(i),
        partition: '',
        timestamp: clock,
        observation: { dataVersion: `v${n}`, metadata: {} },
      };
    });
    await instance.eventLog.append(events);
  };
  const time = async (work: () => Promise<unknown>) => {
    gc();
    const t = performance.now();
    await work();
    return performance.now() - t;
  };
  for (let r = 0; r < REPEATS; r++) {
    clock += 1_000;
    samples.baseline!.push(await time(() => instance.eventLog.statusRows()));
    samples.idle!.push(await time(() => daemon.pass()));
    await instance.eventLog.append([
      { type: 'automation:resumed', name: 'nothing', timestamp: clock },
    ]);
    samples.nothing!.push(await time(() => daemon.pass()));
    await change(1, () => 'src/alone');
    samples.alone!.push(await time(() => daemon.pass()));
    await daemon.idle();
    await daemon.pass();
    await change(1);
    samples.one!.push(await time(() => daemon.pass()));
    await daemon.idle();
    await daemon.pass();
    await change(100);
    samples.hundred!.push(await time(() => daemon.pass()));
    await daemon.idle();
    await daemon.pass();
  }
  const base = median(samples.baseline!);
  const row = (name: string, key: string, target?: number) => {
    const m = median(samples[key]!);
    return [
      name,
      m.toFixed(1),
      `${(m / base).toFixed(1)}x`,
      target === undefined ? '' : m <= target ? `≤ ${target}: PASS` : `> ${target}: FAIL`,
    ];
  };
  process.stdout.write(
    `daemon-evaluation: node ${process.version}, ${ASSETS} assets with eager() (+${WIDTH} sources), materialized in ${(buildMs / 1000).toFixed(1)} s; ${REPEATS} repeats (medians)\n\n` +
      `${table(
        ['pass', 'median ms', 'vs status rows', 'target'],
        [
          row('baseline: eventLog.statusRows()', 'baseline'),
          row('nothing new in the log', 'idle', 5),
          row('an event that changes nothing', 'nothing'),
          row('1 change reaching 1 asset', 'alone', 20),
          row('1 change reaching ~half the graph', 'one'),
          row('100 changes reaching most of it', 'hundred'),
        ],
      )}\n`,
  );
  await instance.close();
  rmSync(dir, { recursive: true, force: true });
}

await main();
