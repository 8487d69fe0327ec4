/**
 * `status` and `materialize` read the status rows and probe the artefacts in a second thread
 * while the project loads (cli/_status-prefetch.ts). What was read ahead is used only while
 * no event was appended since, once, and what a command reports is the same either way.
 */
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalArtefactStore, SqliteEventLog } from '../src/index.js';
import { materialized } from '../src/storage/_conformance-fixtures.js';
import { projectDir, weir } from './cli-helpers.js';
import { tempDir } from './helpers.js';

describe('SqliteEventLog.adoptStatusRows', () => {
  it('returns the adopted rows once, while no event was appended since they were read', async () => {
    const log = new SqliteEventLog(join(tempDir(), 'events.db'));
    await log.append([materialized('a', '', 'va')]);
    const read = await log.statusRows();
    log.adoptStatusRows({ lastEventId: await log.lastEventId(), rows: read });
    expect(await log.statusRows()).toBe(read);
    // Used once: the next read is the log's own.
    const again = await log.statusRows();
    expect(again).not.toBe(read);
    expect(again).toEqual(read);
    await log.close();
  });

  it('reads the log itself when an event was appended after the rows were read', async () => {
    const log = new SqliteEventLog(join(tempDir(), 'events.db'));
    await log.append([materialized('a', '', 'va')]);
    const before = { lastEventId: await log.lastEventId(), rows: await log.statusRows() };
    await log.append([materialized('b', '', 'vb')]);
    log.adoptStatusRows(before);
    const rows = await log.statusRows();
    expect(rows.map((r) => r.assetKey).sort()).toEqual(['a', 'b']);
    await log.close();
  });

  it('keeps only the asked-for keys of the adopted rows', async () => {
    const log = new SqliteEventLog(join(tempDir(), 'events.db'));
    await log.append([materialized('a', '', 'va'), materialized('b', '', 'vb')]);
    log.adoptStatusRows({ lastEventId: await log.lastEventId(), rows: await log.statusRows() });
    expect((await log.statusRows(['b'])).map((r) => r.assetKey)).toEqual(['b']);
    await log.close();
  });
});

describe('LocalArtefactStore.adoptHealth', () => {
  it('answers the next verifyMany for the artefacts checked ahead, then checks itself', async () => {
    const store = new LocalArtefactStore(tempDir());
    const kept = await store.putBytes(new TextEncoder().encode('kept'));
    const other = await store.putBytes(new TextEncoder().encode('other'));
    store.adoptHealth([[kept.location, 5, { status: 'missing' }]]);
    const first = await store.verifyMany([
      { location: kept.location, storedAt: 5 },
      { location: other.location, storedAt: 5 },
    ]);
    expect(first.map((h) => h.status)).toEqual(['missing', 'intact']);
    const second = await store.verifyMany([{ location: kept.location, storedAt: 5 }]);
    expect(second.map((h) => h.status)).toEqual(['intact']);
    await store.close();
  });
});

describe('weir status and materialize with the rows read ahead', () => {
  const always = (dir: string, ...args: string[]) => {
    process.env.WEIR_STATUS_PREFETCH = 'always';
    try {
      return weir(dir, ...args);
    } finally {
      delete process.env.WEIR_STATUS_PREFETCH;
    }
  };

  it('reports what it reports without: fresh, then a missing artefact, then nothing to do', () => {
    const dir = projectDir({
      'weir.config.ts': `import { asset, defineProject } from 'weir';
const a = asset({ key: 'a', materialize: () => ({ n: 1 }) });
const b = asset({ key: 'b', ins: { a }, materialize: (_ctx, { a }) => ({ n: a.n + 1 }) });
export default defineProject({ assets: [a, b] });
`,
    });
    expect(always(dir, 'materialize').code).toBe(0);
    expect(always(dir, 'status').stdout).toMatch(/a\s+fresh[\s\S]*b\s+fresh/);
    const objects = join(dir, '.weir', 'artefacts', 'objects');
    for (const shard of readdirSync(objects)) rmSync(join(objects, shard), { recursive: true });
    const status = always(dir, 'status');
    expect(status.stdout).toMatch(/a\s+stale\s+.*artefact .* is missing/);
    expect(weir(dir, 'status').stdout).toBe(status.stdout);
    const rerun = always(dir, 'materialize');
    expect(rerun.code).toBe(0);
    expect(rerun.stdout).toMatch(/2 materialized/);
    expect(always(dir, 'materialize').stdout).toMatch(/Nothing to do/);
  });
});
