/**
 * core-step-overhead: what Weir adds to each trivial step, in process, with the default
 * durable SQLite event log (WAL, synchronous=NORMAL) and the content-addressed artefact store.
 *
 * Graphs: (a) a chain of 1,000 assets, each reading its upstream number and returning +1
 * (run at concurrency 4, the default, and at concurrency 1); (b) a fan-out of 10,000 assets
 * all reading one root. Baseline, measured in the same run and interleaved with Weir's
 * repeats: the same materialize functions called directly in a plain loop, each writing
 * the same JSON value to a file (temp name + rename, as the store does).
 *
 * Reports medians over repeats: total ms, per-step overhead = (weir − baseline) / steps, ratio
 * weir/baseline, and a second (no-op) materialize of the same graph (nothing stale).
 * Target: ≤ 1 ms of overhead per step.
 *
 * Run: npm run bench -- core-step-overhead [--repeats N]
 */
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AnyAssetDefinition, asset, defineProject, materialize, openInstance } from 'weir';
import { gc, median, option, table } from './_report.js';

const TARGET_MS_PER_STEP = 1;

interface Scenario {
  name: string;
  steps: number;
  concurrency: number;
  assets: AnyAssetDefinition[];
  direct: (dir: string) => void;
}

/** A plain function like a user's materialize: (ctx, inputs) => value. */
type Fn = (ctx: unknown, inputs: Record<string, number>) => number;

function chain(n: number): { defs: AnyAssetDefinition[]; fns: Fn[] } {
  const defs: AnyAssetDefinition[] = [];
  const fns: Fn[] = [];
  const first: Fn = () => 0;
  const next: Fn = (_ctx, { prev }) => prev! + 1;
  let prev = asset({ key: 'chain/s0000', materialize: () => first(undefined, {}) });
  defs.push(prev);
  fns.push(first);
  for (let i = 1; i < n; i++) {
    const current = asset({
      key: `chain/s${String(i).padStart(4, '0')}`,
      ins: { prev },
      materialize: (ctx, inputs) => next(ctx, inputs),
    });
    defs.push(current);
    fns.push(next);
    prev = current as typeof prev;
  }
  return { defs, fns };
}

function fanOut(n: number): { defs: AnyAssetDefinition[]; rootFn: Fn; leafFns: Fn[] } {
  const rootFn: Fn = () => 0;
  const root = asset({ key: 'fan/root', materialize: () => rootFn(undefined, {}) });
  const defs: AnyAssetDefinition[] = [root];
  const leafFns: Fn[] = [];
  for (let i = 0; i < n; i++) {
    // Each leaf returns a distinct value, so each writes its own artefact (no dedup shortcut).
    const leaf: Fn = (_ctx, { root }) => root! + i + 1;
    leafFns.push(leaf);
    defs.push(
      asset({
        key: `fan/leaf${String(i).padStart(5, '0')}`,
        ins: { root },
        materialize: (ctx, inputs) => leaf(ctx, inputs),
      }),
    );
  }
  return { defs, rootFn, leafFns };
}

/** Writes `value` as JSON the way the artefact store does: temp file, then rename into place. */
function writeJson(dir: string, name: string, value: unknown, counter: { n: number }): void {
  const temp = join(dir, 'tmp', `${++counter.n}-${name}`);
  writeFileSync(temp, JSON.stringify(value), { mode: 0o444 });
  renameSync(temp, join(dir, 'out', name));
}

function prepareDirect(dir: string): void {
  mkdirSync(join(dir, 'tmp'), { recursive: true });
  mkdirSync(join(dir, 'out'), { recursive: true });
}

interface Sample {
  baseline: number;
  weir: number;
  noop: number;
}

async function measure(
  name: string,
  assets: AnyAssetDefinition[],
  direct: (dir: string) => void,
  concurrency: number,
): Promise<Sample> {
  const root = mkdtempSync(join(tmpdir(), 'weir-bench-steps-'));
  try {
    const directDir = join(root, 'direct');
    prepareDirect(directDir);
    gc();
    let t = performance.now();
    direct(directDir);
    const baseline = performance.now() - t;

    const project = defineProject({ assets, concurrency });
    const instance = openInstance({ dir: join(root, 'instance') });
    try {
      gc();
      t = performance.now();
      const first = await materialize(project, { instance });
      const weir = performance.now() - t;
      if (first.status !== 'success' || first.summary.materialized.length !== assets.length) {
        throw new Error(`${name}: expected ${assets.length} steps, got ${first.status}`);
      }
      gc();
      t = performance.now();
      const second = await materialize(project, { instance });
      const noop = performance.now() - t;
      if (second.status !== 'nothing-to-do') throw new Error(`${name}: no-op run did work`);
      return { baseline, weir, noop };
    } finally {
      await instance.close();
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const repeats = Number(option('repeats') ?? 5);

  const c = chain(1000);
  const f = fanOut(10_000);
  const chainDirect = (dir: string) => {
    const counter = { n: 0 };
    let value = c.fns[0]!(undefined, {});
    writeJson(dir, 'chain_s0000', value, counter);
    for (let i = 1; i < c.fns.length; i++) {
      value = c.fns[i]!(undefined, { prev: value });
      writeJson(dir, `chain_s${String(i).padStart(4, '0')}`, value, counter);
    }
  };
  const fanDirect = (dir: string) => {
    const counter = { n: 0 };
    const root = f.rootFn(undefined, {});
    writeJson(dir, 'fan_root', root, counter);
    for (let i = 0; i < f.leafFns.length; i++) {
      writeJson(
        dir,
        `fan_leaf${String(i).padStart(5, '0')}`,
        f.leafFns[i]!(undefined, { root }),
        counter,
      );
    }
  };
  const scenarios: Scenario[] = [
    {
      name: 'chain 1,000, concurrency 4',
      steps: 1000,
      concurrency: 4,
      assets: c.defs,
      direct: chainDirect,
    },
    {
      name: 'chain 1,000, concurrency 1',
      steps: 1000,
      concurrency: 1,
      assets: c.defs,
      direct: chainDirect,
    },
    {
      name: 'fan-out 1+10,000, concurrency 4',
      steps: 10_001,
      concurrency: 4,
      assets: f.defs,
      direct: fanDirect,
    },
  ];

  process.stdout.write(
    `core-step-overhead: node ${process.version}, ${repeats} repeats per scenario (medians), temp dirs under ${tmpdir()}\n`,
  );
  // Chains first (c4 and c1 alternating which goes first), then the fan-out: deleting the
  // fan-out's 20,000 files slows the disk for a while, which must not land on the chains.
  // Each shape is warmed up (JIT, file system) once before timing.
  const samplesOf = new Map<Scenario, Sample[]>(scenarios.map((s) => [s, []]));
  const [chain4, chain1, fan] = scenarios as [Scenario, Scenario, Scenario];
  await measure('warm-up chain', c.defs, chainDirect, 4);
  for (let r = 0; r < repeats; r++) {
    for (const scenario of r % 2 === 0 ? [chain4, chain1] : [chain1, chain4]) {
      samplesOf
        .get(scenario)!
        .push(await measure(scenario.name, scenario.assets, scenario.direct, scenario.concurrency));
    }
  }
  await measure('warm-up fan-out', f.defs, fanDirect, 4);
  for (let r = 0; r < repeats; r++) {
    samplesOf.get(fan)!.push(await measure(fan.name, fan.assets, fan.direct, fan.concurrency));
  }

  const rows: string[][] = [];
  const noopRows: string[][] = [];
  const verdicts: string[] = [];
  for (const scenario of scenarios) {
    const samples = samplesOf.get(scenario)!;
    const baseline = median(samples.map((s) => s.baseline));
    const weir = median(samples.map((s) => s.weir));
    const noop = median(samples.map((s) => s.noop));
    const ratio = median(samples.map((s) => s.weir / s.baseline));
    // Per repeat, then the median: baseline and Weir of one repeat ran back to back.
    const overhead = median(samples.map((s) => (s.weir - s.baseline) / scenario.steps));
    const pass = overhead <= TARGET_MS_PER_STEP;
    rows.push([
      scenario.name,
      String(scenario.steps),
      baseline.toFixed(1),
      weir.toFixed(1),
      `${ratio.toFixed(1)}x`,
      overhead.toFixed(3),
      pass ? 'PASS' : 'FAIL',
    ]);
    noopRows.push([
      scenario.name,
      noop.toFixed(1),
      ((noop * 1000) / scenario.steps).toFixed(1),
      `${median(samples.map((s) => s.noop / s.baseline)).toFixed(2)}x`,
    ]);
    verdicts.push(
      `${scenario.name}: ${overhead.toFixed(3)} ms/step overhead ${pass ? '≤' : '>'} ${TARGET_MS_PER_STEP} ms: ${pass ? 'PASS' : 'FAIL'}`,
    );
  }
  process.stdout.write('\nFirst materialize (every step runs) vs the plain loop (baseline):\n');
  process.stdout.write(
    `${table(
      [
        'scenario',
        'steps',
        'baseline ms',
        'weir ms',
        'weir/base',
        'overhead ms/step',
        'target ≤1 ms',
      ],
      rows,
    )}\n`,
  );
  process.stdout.write(
    '\nSecond materialize of the same graph (nothing stale: "nothing-to-do"):\n',
  );
  process.stdout.write(
    `${table(['scenario', 'no-op ms', 'µs/asset', 'no-op/baseline'], noopRows)}\n`,
  );
  process.stdout.write(`\n${verdicts.join('\n')}\n`);
}

await main();
