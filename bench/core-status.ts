/**
 * core-status: status and staleness of a 10,000-asset graph with full history.
 *
 * The graph has 100 layers of 100 assets; each asset below the first layer reads two assets
 * of the layer above. The history is 10 materializations of every asset: one real
 * `materialize()` (real artefacts and event bodies), then 9 more runs recorded through
 * `instance.eventLog.append` by copying that run's events (run:started with its 10,000
 * planned steps, step:started and asset:materialized per asset with its provenance
 * re-pointed at the new upstream events, run:finished), as `--force` would write them:
 * about 200,000 events.
 *
 * Measures (medians over repeats) `assetStatus(project, { instance, observe: false })` of
 * every asset (with and without the artefact probe), `explain()` of the deepest asset (its
 * upstream closure is most of the graph), `eventLog.statusRows()` (what status reads) and
 * `eventLog.latest()` (every record, what `details` reads). Baselines in the same run, on a
 * separate read-only connection: a bare read of the status rows (the same columns of
 * asset_state, no JavaScript beyond the rows), reading and JSON.parse-ing the 10,000 current
 * materialization bodies, and `SELECT count(*) FROM events`. Target: assetStatus ≤ 50 ms.
 *
 * Run: npm run bench -- core-status [--repeats N]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { assetStatus, defineProject, explain, materialize, openInstance, WarmStatus } from 'weir';
import { appendHistory, layeredAssets, layeredKey } from './_fixtures.js';
import { gc, median, option, table } from './_report.js';

/** Issue 15 (issue 2 asked for 100 ms). */
const TARGET_MS = 50;
const LAYERS = 100;
const WIDTH = 100;
const HISTORY = 10;

async function time(fn: () => unknown): Promise<number> {
  gc();
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

async function main(): Promise<void> {
  const repeats = Number(option('repeats') ?? 15);
  const dir = mkdtempSync(join(tmpdir(), 'weir-bench-status-'));
  try {
    const assets = layeredAssets(LAYERS, WIDTH);
    const project = defineProject({ assets });
    const deepest = layeredKey(LAYERS - 1, 0);
    const instance = openInstance({ dir: join(dir, 'instance') });
    let reader: Database.Database | undefined;
    try {
      const setupStart = performance.now();
      const first = await materialize(project, { instance });
      if (first.status !== 'success') throw new Error(`first run: ${first.status}`);
      await appendHistory(instance, first.runId!, HISTORY);
      const setupMs = performance.now() - setupStart;

      reader = new Database(join(dir, 'instance', 'events.db'), { readonly: true });
      const counts = reader
        .prepare(
          "SELECT count(*) AS events, sum(type = 'asset:materialized') AS materializations, sum(length(body)) AS bytes FROM events",
        )
        .get() as { events: number; materializations: number; bytes: number };
      const currentBodies = reader.prepare(
        'SELECT e.id, e.body FROM asset_state l JOIN events e ON e.id = l.materialization_id',
      );
      const countAll = reader.prepare('SELECT count(*) AS n FROM events');
      const statusColumns = reader
        .prepare(
          `SELECT asset_key, materialization_id, usable_id, observation_id, failure_id,
             data_version, code_version, input_versions, location, ended_at
           FROM asset_state WHERE partition = ''`,
        )
        .raw(true);

      // Sanity: everything is fresh, and the history is what we claim.
      const check = await assetStatus(project, { instance, observe: false });
      const fresh = check.filter((s) => s.status === 'fresh').length;
      if (fresh !== assets.length) throw new Error(`expected all fresh, got ${fresh}`);
      const firstCall = await time(() => assetStatus(project, { instance, observe: false }));

      const samples = {
        status: [] as number[],
        unprobed: [] as number[],
        explain: [] as number[],
        latest: [] as number[],
        rows: [] as number[],
        bare: [] as number[],
        parse: [] as number[],
        count: [] as number[],
        warm: [] as number[],
        warmOne: [] as number[],
      };
      // Warm: kept in memory, brought up to date from the log (the daemon's and a server's).
      const warm = new WarmStatus(project, { instance, clockMs: 60_000 });
      const warmAt = Date.now();
      await warm.status(warmAt);
      const leaf = `layer${String(LAYERS - 1).padStart(3, '0')}/asset000`;
      for (let r = 0; r < repeats; r++) {
        samples.parse.push(
          await time(() => {
            const rows = currentBodies.all() as Array<{ id: number; body: string }>;
            let n = 0;
            for (const row of rows) n += (JSON.parse(row.body) as { timestamp: number }).timestamp;
            return n;
          }),
        );
        samples.count.push(await time(() => countAll.get()));
        samples.bare.push(await time(() => statusColumns.all()));
        samples.rows.push(await time(() => instance.eventLog.statusRows()));
        samples.latest.push(await time(() => instance.eventLog.latest()));
        samples.status.push(await time(() => assetStatus(project, { instance, observe: false })));
        samples.unprobed.push(
          await time(() =>
            assetStatus(project, { instance, observe: false, checkArtefacts: false }),
          ),
        );
        samples.explain.push(
          await time(() => explain(project, deepest, { instance, observe: false })),
        );
        samples.warm.push(await time(() => warm.status(warmAt)));
        // One change reaching one asset (a failed attempt of a leaf: no downstream).
        await instance.eventLog.append([
          {
            type: 'run:started',
            runId: `warm-${r}`,
            timestamp: Date.now(),
            selection: leaf,
            force: false,
            steps: [leaf],
            host: 'bench',
            pid: 1,
            weirVersion: 'bench',
          },
          {
            type: 'step:failed',
            runId: `warm-${r}`,
            assetKey: leaf,
            partition: '',
            timestamp: Date.now(),
            attempt: 1,
            error: { name: 'Error', message: 'bench' },
          },
          {
            type: 'run:finished',
            runId: `warm-${r}`,
            timestamp: Date.now(),
            status: 'failed',
            summary: {
              materialized: [],
              unchanged: [],
              failed: [leaf],
              skipped: [],
              cancelled: [],
            },
          },
        ]);
        samples.warmOne.push(await time(() => warm.status(warmAt)));
      }
      const report = await explain(project, deepest, { instance, observe: false });

      const parse = median(samples.parse);
      const bare = median(samples.bare);
      const status = median(samples.status);
      const row = (name: string, values: number[], target?: number) => {
        const ms = median(values);
        return [
          name,
          ms.toFixed(1),
          `${(ms / bare).toFixed(2)}x`,
          `${(ms / parse).toFixed(2)}x`,
          target === undefined ? '' : ms <= target ? `≤ ${target} ms PASS` : `> ${target} ms FAIL`,
        ];
      };
      process.stdout.write(
        `core-status: node ${process.version}, ${assets.length} assets (${LAYERS} layers × ${WIDTH}, 2 inputs each), ` +
          `history ${HISTORY} materializations each: ${counts.events} events (${counts.materializations} materializations, ` +
          `${(counts.bytes / 1e6).toFixed(1)} MB of bodies), built in ${(setupMs / 1000).toFixed(1)} s; ${repeats} repeats (medians)\n\n`,
      );
      process.stdout.write(
        `${table(
          ['measurement', 'median ms', 'vs status rows', 'vs read+parse', 'target'],
          [
            row('baseline: bare read of the 10,000 status rows', samples.bare),
            row('baseline: read + JSON.parse 10,000 current bodies', samples.parse),
            row('baseline: SELECT count(*) FROM events', samples.count),
            row('eventLog.statusRows() (all assets)', samples.rows),
            row('eventLog.latest() (all assets, every record)', samples.latest),
            row('assetStatus(all, observe: false)', samples.status, TARGET_MS),
            row('  the same without the artefact probe', samples.unprobed),
            row(`explain('${deepest}')`, samples.explain),
            row('WarmStatus.status(): nothing new in the log', samples.warm, 30),
            row('WarmStatus.status(): a change reaching one asset', samples.warmOne, 30),
          ],
        )}\n`,
      );
      process.stdout.write(
        `\nassetStatus first call (code versions not yet cached): ${firstCall.toFixed(1)} ms\n` +
          `explain('${deepest}'): ${report.state.status}, ${Object.keys(report.upstream).length} upstream assets resolved\n` +
          `assetStatus: ${status.toFixed(1)} ms ${status <= TARGET_MS ? '≤' : '>'} ${TARGET_MS} ms: ${status <= TARGET_MS ? 'PASS' : 'FAIL'}\n`,
      );
    } finally {
      reader?.close();
      await instance.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
