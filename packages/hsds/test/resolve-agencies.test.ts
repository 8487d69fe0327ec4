// Entity resolution of the real agency exports as mapped (no labels: what it finds, how fast,
// how large its state is): each export through its layout, every service at its location a
// record, all resolved together. Printed: records by agency, candidate pairs, clusters (those
// joining agencies counted by pair), time, state size and one cross-agency cluster's evidence.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { layouts, mapExport } from '../src/map/index.js';
import {
  EntityResolver,
  type ResolvableRecord,
  type ResolvedCluster,
  resolvableFromService,
  resolveAll,
} from '../src/resolve/index.js';
import { noSocialData, socialData, socialDataTitle } from './_data.js';

const EXPORTS = [
  { agency: 'dc-211', layout: 'icarol-211', file: '211.csv' },
  { agency: 'sf-211', layout: 'icarol-211-extended', file: 'sf_211.csv' },
  { agency: 'linksf', layout: 'linksf', file: 'linksf.json' },
  { agency: 'apd', layout: 'apd-directory', file: 'apd_export.txt' },
  { agency: 'dcyf', layout: 'dcyf-programs', file: 'dcyf_cms.csv' },
] as const;

let records: ResolvableRecord[] = [];

beforeAll(() => {
  if (noSocialData) return;
  records = EXPORTS.flatMap(({ agency, layout, file }) => {
    const mapper = layouts[layout]!;
    const bytes = readFileSync(socialData(`agencies/${file}`));
    return mapExport(mapper, { agency, file, bytes }).services.flatMap(resolvableFromService);
  });
});

const agenciesOf = (c: ResolvedCluster) =>
  [...new Set(c.members.map((m) => m.source.agency))].sort();

describe.skipIf(noSocialData)(
  socialDataTitle('entity resolution of the mapped agency exports'),
  () => {
    it('resolves them all, and an agency replaced gives what a full resolve gives', () => {
      const byAgency = Object.fromEntries(
        EXPORTS.map(({ agency }) => [
          agency,
          records.filter((r) => r.source.agency === agency).length,
        ]),
      );
      const t0 = performance.now();
      const full = resolveAll(records);
      const ms = performance.now() - t0;
      const across = new Map<string, number>();
      for (const c of full.clusters) {
        const agencies = agenciesOf(c);
        if (agencies.length > 1)
          across.set(agencies.join('+'), (across.get(agencies.join('+')) ?? 0) + 1);
      }
      const resolver = new EntityResolver();
      resolver.upsert(records);
      const state = JSON.stringify(resolver);
      const example = full.clusters.find((c) => agenciesOf(c).length > 1);
      const n = records.length;
      process.stdout.write(
        `\nmapped exports: ${n} records ${JSON.stringify(byAgency)}\n` +
          `resolved in ${Math.round(ms)} ms (${Math.round(n / (ms / 1000))} records/s); candidate pairs ${full.candidatePairs} of ${(n * (n - 1)) / 2}\n` +
          `clusters: ${full.clusters.length} (${full.clusters.reduce((s, c) => s + c.members.length, 0)} records); joining agencies: ${JSON.stringify(Object.fromEntries(across))}\n` +
          `state: ${state.length} bytes (${Math.round(state.length / n)} bytes/record)\n` +
          (example
            ? `example: ${example.members.map((m) => `${m.source.agency} ${m.source.file}:${m.source.line} ${JSON.stringify(m.name)}`).join(' | ')}\n` +
              `  ${example.links.map((l) => `${l.score}: ${l.evidence.map((e) => `${e.feature} ${e.outcome} ${e.weight}`).join(', ')}`).join('\n  ')}\n`
            : ''),
      );
      expect(n).toBeGreaterThan(5000);
      expect(full.candidatePairs).toBeLessThan((n * (n - 1)) / 2 / 50);

      resolver.remove(records.filter((r) => r.source.agency === 'linksf').map((r) => r.id));
      resolver.replaceAgency(
        'linksf',
        records.filter((r) => r.source.agency === 'linksf'),
      );
      expect(resolver.clusters()).toEqual(full.clusters);
      expect(EntityResolver.fromJSON(JSON.parse(state)).clusters()).toEqual(full.clusters);
    });
  },
);
