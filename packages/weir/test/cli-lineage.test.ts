/**
 * `weir why --lineage`: the values a value was made from, down to the sources, each as the
 * version that was read (not the newest), through partition mappings.
 */
import { describe, expect, it } from 'vitest';
import { projectDir, weir, weirJson, writeFile } from './cli-helpers.js';

const FILES = {
  'weir.config.ts': `import { defineProject } from 'weir';
import * as assets from './src/assets';

export default defineProject({ assets: Object.values(assets) });
`,
  'src/assets.ts': `import { readFileSync } from 'node:fs';
import { asset, check, fileVersion, many, sourceAsset, staticPartitions } from 'weir';

const stations = staticPartitions(['north', 'south']);

export const feed = sourceAsset({
  key: 'raw/feed',
  partitions: stations,
  observe: (ctx) => fileVersion(\`data/\${ctx.partition.key}.txt\`),
});

export const clean = asset({
  key: 'clean',
  partitions: stations,
  ins: { feed },
  materialize: (ctx) => Number(readFileSync(\`data/\${ctx.partition.key}.txt\`, 'utf8')),
});

export const total = asset({
  key: 'total',
  ins: { parts: many(clean) },
  materialize: (_ctx, { parts }) => [...parts.values()].reduce((a, b) => a + b, 0),
});

export const report = asset({
  key: 'report',
  ins: { total },
  checks: [check<string>({ name: 'small', evaluate: (_ctx, text) => text.length < 9 })],
  materialize: (_ctx, { total }) => \`total \${total}\`,
});
`,
  'data/north.txt': '1',
  'data/south.txt': '2',
};

interface Node {
  key: string;
  partition?: string;
  eventId: number;
  kind: string;
  runId?: string;
  inputs?: Node[];
  repeated?: boolean;
}

describe('weir why --lineage', () => {
  it('walks down to the source partitions, as read', () => {
    const dir = projectDir(FILES);
    expect(weir(dir, 'materialize').code).toBe(0);
    const text = weir(dir, 'why', 'report', '--lineage');
    expect(text.code).toBe(0);
    const tree = text.stdout.slice(text.stdout.indexOf('lineage'));
    expect(tree).toMatch(/^ {2}report {2}data \w+ · run \S+ \(event \d+/m);
    expect(tree).toMatch(/└─ total .*\n.*├─ clean\[north\]/);
    expect(tree).toMatch(/clean\[south\].*\n.*└─ raw\/feed\[south\] {2}data \w+ · observed/);

    const before = weirJson<{ lineage: Node }>(dir, 'why', 'report', '--lineage').lineage;
    const cleanNorth = before.inputs![0]!.inputs!.find((n) => n.partition === 'north')!;

    // A new north reading: the current report now comes from the new clean[north] ...
    writeFile(`${dir}/data/north.txt`, '10');
    expect(weir(dir, 'materialize').code).toBe(0);
    const after = weirJson<{ lineage: Node }>(dir, 'why', 'report', '--lineage').lineage;
    const newNorth = after.inputs![0]!.inputs!.find((n) => n.partition === 'north')!;
    expect(newNorth.eventId).toBeGreaterThan(cleanNorth.eventId);
    // ... while south, not rerun, is still the version read the first time.
    const south = (n: Node) => n.inputs![0]!.inputs!.find((i) => i.partition === 'south')!.eventId;
    expect(south(after)).toBe(south(before));
    expect(newNorth.inputs![0]).toMatchObject({
      key: 'raw/feed',
      partition: 'north',
      kind: 'observation',
    });
  });

  it('follows the usable value: a materialization that failed a blocking check is not it', () => {
    const dir = projectDir(FILES);
    expect(weir(dir, 'materialize').code).toBe(0);
    const good = weirJson<{ lineage: Node }>(dir, 'why', 'report', '--lineage').lineage;
    writeFile(`${dir}/data/north.txt`, '100000'); // 'total 100002' fails the check
    expect(weir(dir, 'materialize').code).not.toBe(0);
    const after = weirJson<{ lineage: Node }>(dir, 'why', 'report', '--lineage').lineage;
    expect(after.eventId).toBe(good.eventId);
    const partitioned = weir(dir, 'why', 'clean', '--lineage');
    expect(partitioned.code).not.toBe(0);
    expect(partitioned.stderr).toContain('--partition P --lineage');
  });

  it("many partitions read (keys not recorded): shown when today's mapping gives them back, else said so", () => {
    const dir = projectDir({
      'weir.config.ts': `import { asset, defineProject, dynamicPartitions, many } from 'weir';
const sites = dynamicPartitions('sites');
const up = asset({ key: 'up', partitions: sites, materialize: (ctx) => ctx.partition.key.length });
const all = asset({ key: 'all', ins: { up: many(up) }, materialize: (_ctx, { up }) => up.size });
export default defineProject({ assets: [up, all] });
`,
    });
    const sites = Array.from({ length: 12 }, (_, i) => `s${String(i + 1).padStart(2, '0')}`);
    expect(weir(dir, 'partitions', 'add', 'sites', ...sites).code).toBe(0);
    expect(weir(dir, 'materialize').code).toBe(0);
    const reads = (tree: Node) => tree.inputs!.map((n) => n.partition ?? n.kind);
    const before = weirJson<{ lineage: Node }>(dir, 'why', 'all', '--lineage').lineage;
    expect(reads(before)).toEqual(sites);
    expect(weir(dir, 'partitions', 'remove', 'sites', 's01', 's02').code).toBe(0);
    const after = weirJson<{ lineage: Node }>(dir, 'why', 'all', '--lineage').lineage;
    expect(after.inputs).toEqual([
      expect.objectContaining({ key: 'up', kind: 'unrecorded', partitionCount: 12 }),
    ]);
    const text = weir(dir, 'why', 'all', '--lineage').stdout;
    expect(text).toContain('12 partitions read');
  });

  it('--depth limits the levels; nothing materialized is said plainly', () => {
    const dir = projectDir(FILES);
    expect(weir(dir, 'why', 'report', '--lineage').stdout).toContain(
      'no lineage: nothing materialized yet',
    );
    expect(weir(dir, 'materialize').code).toBe(0);
    const shallow = weirJson<{ lineage: Node }>(
      dir,
      'why',
      'report',
      '--lineage',
      '--depth',
      '1',
    ).lineage;
    expect(shallow.inputs!.map((n) => n.key)).toEqual(['total']);
    expect(shallow.inputs![0]!.inputs).toBeUndefined();
    expect(weir(dir, 'why', 'report', '--lineage', '--depth', '0').code).not.toBe(0);
    expect(weir(dir, 'why', 'report', '--depth', '1').stderr).toContain(
      '--depth goes with --lineage',
    );
  });

  it('a blocked materialization cleared later by weir check is the value read, in lineage and verify', () => {
    const dir = projectDir({
      'weir.config.ts': `import { readFileSync } from 'node:fs';
import { asset, check, defineProject, many, staticPartitions } from 'weir';
const limit = () => Number(readFileSync('limit.txt', 'utf8'));
const parts = staticPartitions(['a', 'b', 'c']);
const clean = asset({
  key: 'clean',
  partitions: parts,
  checks: [check<number>({ name: 'under_limit', evaluate: (_ctx, v) => v < limit() })],
  materialize: (ctx) => Number(readFileSync(\`v-\${ctx.partition.key}.txt\`, 'utf8')),
});
const total = asset({ key: 'total', ins: { parts: many(clean) }, materialize: (_c, { parts }) => [...parts.values()].reduce((x, y) => x + y, 0) });
export default defineProject({ assets: [clean, total] });
`,
      'limit.txt': '100',
      'v-a.txt': '1',
      'v-b.txt': '2',
      'v-c.txt': '3',
    });
    expect(weir(dir, 'materialize').code).toBe(0);
    writeFile(`${dir}/v-b.txt`, '50');
    writeFile(`${dir}/limit.txt`, '10');
    expect(weir(dir, 'materialize', 'clean', '--force').code).not.toBe(0); // b is blocked
    writeFile(`${dir}/limit.txt`, '100');
    expect(weir(dir, 'check').code).toBe(0); // the check passes now: b's 50 becomes usable
    expect(weir(dir, 'materialize').code).toBe(0);
    expect(weir(dir, 'value', 'total').stdout.trim()).toBe('54');
    const b = weirJson<{ lineage: Node }>(
      dir,
      'why',
      'clean',
      '--partition',
      'b',
      '--lineage',
    ).lineage;
    const total = weirJson<{ lineage: Node }>(dir, 'why', 'total', '--lineage').lineage;
    expect(total.inputs!.find((n) => n.partition === 'b')!.eventId).toBe(b.eventId);
    const history = weirJson<Array<{ id: number }>>(dir, 'history', 'clean', '--partition', 'b');
    expect(b.eventId).toBe(history[0]!.id); // the newest, cleared
    const verify = weir(dir, 'verify', '--reproduce', 'total');
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
  });
});
