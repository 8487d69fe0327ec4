/**
 * Partitioned source assets: one observation per partition, so one agency's new export
 * restales exactly its partition, seen at once by status, why, plan and the first run.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  asset,
  assetStatus,
  defineProject,
  explain,
  fileVersion,
  many,
  materialize,
  planMaterialization,
  sourceAsset,
  staticPartitions,
} from '../src/index.js';
import { tempDir, tempInstance } from './helpers.js';

const AGENCIES = ['linksf', 'sfsg', 'wa211', 'ac', 'ca', 'mn'];

function project(dir: string, broken: Set<string> = new Set()) {
  const agencies = staticPartitions(AGENCIES);
  const exports = sourceAsset({
    key: 'raw/agency_exports',
    partitions: agencies,
    observe: (ctx) => {
      if (broken.has(ctx.partition.key)) throw new Error(`cannot reach ${ctx.partition.key}`);
      return fileVersion(join(dir, `${ctx.partition.key}.csv`));
    },
  });
  const services = asset({
    key: 'norm/services',
    partitions: agencies,
    ins: { exported: exports },
    materialize: (ctx, { exported }) => `${ctx.partition.key}@${exported.dataVersion.slice(0, 8)}`,
  });
  const directory = asset({
    key: 'search/directory',
    ins: { services: many(services) },
    materialize: (_ctx, { services }) => [...services.values()],
  });
  return defineProject({ assets: [exports, services, directory] });
}

describe('partitioned source assets', () => {
  it('one agency’s new export restales exactly its partition, at once and in the first run', async () => {
    const dir = tempDir();
    for (const agency of AGENCIES) writeFileSync(join(dir, `${agency}.csv`), `${agency},1\n`);
    const instance = tempInstance();
    const first = await materialize(project(dir), { instance });
    expect(first.summary.materialized).toHaveLength(7);
    expect((await materialize(project(dir), { instance })).status).toBe('nothing-to-do');

    writeFileSync(join(dir, 'sfsg.csv'), 'sfsg,2\n');
    const states = new Map((await assetStatus(project(dir), { instance })).map((s) => [s.key, s]));
    const services = states.get('norm/services')!;
    expect(services.status).toBe('stale');
    expect([...services.partitions!.stale.indices()].map((i) => AGENCIES[i])).toEqual(['sfsg']);
    expect(states.get('search/directory')!.status).toBe('stale');
    const why = await explain(project(dir), 'norm/services', { instance, partition: 'sfsg' });
    expect(why.partition?.causes[0]?.reason).toMatch(/raw\/agency_exports\[sfsg\]/);
    const { plan } = await planMaterialization(project(dir), { instance });
    expect(plan.partitions.get('norm/services')?.planned.count).toBe(1);

    const run = await materialize(project(dir), { instance });
    expect(run.summary.materialized).toEqual(['norm/services[sfsg]', 'search/directory']);
    expect((await materialize(project(dir), { instance })).status).toBe('nothing-to-do');
  });

  it('an agency that cannot be observed fails alone: its readers wait, the rest run', async () => {
    const dir = tempDir();
    for (const agency of AGENCIES) writeFileSync(join(dir, `${agency}.csv`), `${agency},1\n`);
    const instance = tempInstance();
    await materialize(project(dir), { instance });
    for (const agency of ['linksf', 'mn'])
      writeFileSync(join(dir, `${agency}.csv`), `${agency},2\n`);
    const run = await materialize(project(dir, new Set(['mn'])), { instance });
    expect(run.status).toBe('failed');
    expect(run.summary.failed).toEqual(['raw/agency_exports[mn]']);
    expect(run.summary.materialized).toContain('norm/services[linksf]');
    expect(run.summary.materialized).not.toContain('norm/services[mn]');
    const [source] = await assetStatus(project(dir, new Set(['mn'])), {
      instance,
      selection: 'raw/agency_exports',
    });
    expect(source!.status).toBe('failed');
    expect(source!.causes[0]?.reason).toMatch(
      /1 of 6 partitions could not be observed \(mn: cannot reach mn\)/,
    );
    // Reachable again: mn's new export runs, nothing else.
    const again = await materialize(project(dir), { instance });
    expect(again.summary.materialized).toEqual(['norm/services[mn]', 'search/directory']);
  });
});
