// Entity resolution against real labels: Open Referral's Washington 211 deduplication set
// (silobuster-dedupe's injected duplicates). Pairwise precision, recall and F1 of the resolver
// and of the exact-match baseline, on the half of the originals the weights were checked on
// (A) and on the other half (B); blocking's candidate pairs and pair completeness. Printed,
// and asserted with floors just below what was measured.
import { beforeAll, describe, expect, it } from 'vitest';
import { readCsvFile } from '../src/read/index.js';
import {
  addressKey,
  blockingKeys,
  DEFAULT_BLOCKING,
  EntityResolver,
  exactMatchGroups,
  type PairwiseScores,
  pairwiseScores,
  prepareRecord,
  type ResolvableRecord,
  readWa211Labels,
  resolveAll,
  WA211_COLUMNS,
  type Wa211Labels,
} from '../src/resolve/index.js';

import { noSocialData, socialData, socialDataTitle } from './_data.js';

let labels: Wa211Labels;

beforeAll(async () => {
  if (noSocialData) return;
  const table = await readCsvFile(socialData('agencies/wa211_dedup_training_set.csv'), {
    header: WA211_COLUMNS,
  });
  labels = readWa211Labels(table);
});

/** The originals of one half (every other original in file order) with their duplicates. */
function half(which: 0 | 1): ResolvableRecord[] {
  const keep = new Set<string>();
  let n = 0;
  for (const r of labels.records) {
    if (labels.originalOf.has(r.id)) continue;
    if (n++ % 2 === which) keep.add(r.id);
  }
  return labels.records.filter((r) => keep.has(labels.originalOf.get(r.id) ?? r.id));
}

/** Labelled groups among `records`; with `closed`, records equal in every column join too. */
function truthOf(records: readonly ResolvableRecord[], closed: boolean): string[][] {
  const ids = new Set(records.map((r) => r.id));
  const group = new Map<string, string[]>();
  const keyOf = (id: string) => {
    const original = labels.originalOf.get(id) ?? id;
    const f = labels.fields.get(original)!;
    return closed ? JSON.stringify(WA211_COLUMNS.slice(0, 11).map((c) => f[c] ?? '')) : original;
  };
  for (const id of ids) {
    const key = keyOf(id);
    const g = group.get(key);
    if (g) g.push(id);
    else group.set(key, [id]);
  }
  return [...group.values()].filter((g) => g.length > 1);
}

interface Row {
  set: string;
  method: string;
  strict: PairwiseScores;
  closed: PairwiseScores;
}

function evaluate(set: string, records: ResolvableRecord[]): Row[] {
  const ours = resolveAll(records).clusters.map((c) => c.members.map((m) => m.id));
  const base = exactMatchGroups(records);
  const strictTruth = truthOf(records, false);
  const closedTruth = truthOf(records, true);
  return [
    {
      set,
      method: 'resolver',
      strict: pairwiseScores(ours, strictTruth),
      closed: pairwiseScores(ours, closedTruth),
    },
    {
      set,
      method: 'exact match',
      strict: pairwiseScores(base, strictTruth),
      closed: pairwiseScores(base, closedTruth),
    },
  ];
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const fmt = (s: PairwiseScores) =>
  `P ${pct(s.precision)} R ${pct(s.recall)} F1 ${pct(s.f1)} (${s.correctPairs}/${s.predictedPairs} of ${s.truePairs})`;

const title = socialDataTitle('entity resolution on the WA 211 labelled set');

describe.skipIf(noSocialData)(title, () => {
  it('reads 438 originals and 220 injected duplicates, each right after its original', () => {
    // 661 rows: a physical-address section and a mailing-address section, each opened by the
    // format row; the second format row has an injected duplicate of its own. Those three go.
    expect(labels.records.length).toBe(658);
    expect(labels.originalOf.size).toBe(220);
    const changed = [...labels.changedFields.values()].map((c) => c.join(',') || 'none');
    const counts = Object.fromEntries(
      [...new Set(changed)].map((c) => [c, changed.filter((x) => x === c).length]),
    );
    expect(counts).toEqual({
      none: 128,
      address_1: 91,
      'description,url,address_1,country,county': 1,
    });
  });

  it('beats the exact-match baseline on both halves', () => {
    const rows = [
      ...evaluate('A (tuning)', half(0)),
      ...evaluate('B (held out)', half(1)),
      ...evaluate('all', labels.records),
    ];
    const text = rows.map(
      (r) =>
        `${r.set.padEnd(13)} ${r.method.padEnd(12)} strict: ${fmt(r.strict)}   identical-closed: ${fmt(r.closed)}`,
    );
    process.stdout.write(`\nWA 211 pairwise scores\n${text.join('\n')}\n`);
    const get = (set: string, method: string) =>
      rows.find((r) => r.set.startsWith(set) && r.method === method)!;
    for (const set of ['A', 'B', 'all']) {
      const ours = get(set, 'resolver');
      const base = get(set, 'exact match');
      expect(ours.strict.recall).toBeGreaterThan(base.strict.recall);
      expect(ours.closed.f1).toBeGreaterThan(base.closed.f1);
    }
    const all = get('all', 'resolver');
    expect(all.strict.recall).toBeGreaterThanOrEqual(0.99);
    expect(all.closed.precision).toBeGreaterThanOrEqual(0.75);
    expect(all.closed.f1).toBeGreaterThanOrEqual(0.85);
    expect(get('A', 'resolver').closed.f1).toBeGreaterThanOrEqual(0.91);
    expect(get('B', 'resolver').closed.f1).toBeGreaterThanOrEqual(0.85);
    expect(get('B', 'resolver').strict.f1).toBeGreaterThanOrEqual(0.71);
  });

  it('merges unlabelled pairs only where one name stands at one street address or at none', () => {
    const byId = new Map(labels.records.map((r) => [r.id, addressKey(r.address)]));
    const together = new Map<string, number>();
    truthOf(labels.records, true).forEach((g, i) => {
      for (const id of g) together.set(id, i);
    });
    const kinds = new Map<string, number>();
    for (const c of resolveAll(labels.records).clusters) {
      const ids = c.members.map((m) => m.id);
      for (let i = 0; i < ids.length; i++) {
        for (let j = i + 1; j < ids.length; j++) {
          const [a, b] = [ids[i]!, ids[j]!];
          if (together.has(a) && together.get(a) === together.get(b)) continue;
          const [ka, kb] = [byId.get(a)!, byId.get(b)!];
          const kind =
            !ka.street || !kb.street
              ? 'no street on one side or both'
              : ka.number !== kb.number
                ? 'other'
                : ka.unit === kb.unit
                  ? 'same street address'
                  : 'same street, one gives a unit';
          kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
        }
      }
    }
    process.stdout.write(
      `\nWA 211 merged pairs the labels keep apart (identical-closed): ${JSON.stringify(Object.fromEntries(kinds))}\n`,
    );
    expect(kinds.get('other') ?? 0).toBe(0);
  });

  it('blocks keep every true pair while comparing a small share of all pairs', () => {
    const records = labels.records;
    const prepared = new Map(records.map((r) => [r.id, prepareRecord(r)]));
    const keys = new Map([...prepared].map(([id, p]) => [id, blockingKeys(p, DEFAULT_BLOCKING)]));
    const size = new Map<string, number>();
    for (const ks of keys.values()) for (const k of ks) size.set(k, (size.get(k) ?? 0) + 1);
    const small = (k: string) => size.get(k)! <= DEFAULT_BLOCKING.maxBlockSize;
    let kept = 0;
    for (const [dup, original] of labels.originalOf) {
      const theirs = new Set(keys.get(original)!.filter(small));
      if (keys.get(dup)!.some((k) => theirs.has(k))) kept++;
    }
    const n = records.length;
    const all = (n * (n - 1)) / 2;
    const { candidatePairs } = resolveAll(records);
    process.stdout.write(
      `\nWA 211 blocking: ${candidatePairs} candidate pairs of ${all} (${pct(candidatePairs / all)}); pair completeness ${kept}/${labels.originalOf.size} (${pct(kept / labels.originalOf.size)})\n`,
    );
    expect(kept).toBe(labels.originalOf.size);
    expect(candidatePairs / all).toBeLessThan(0.1);
  });

  it('its state is small enough to keep as an artefact', () => {
    const resolver = new EntityResolver();
    resolver.upsert(labels.records);
    const json = JSON.stringify(resolver);
    process.stdout.write(
      `\nWA 211 resolver state: ${json.length} bytes for ${resolver.size} records\n`,
    );
    expect(EntityResolver.fromJSON(JSON.parse(json)).clusters()).toEqual(resolver.clusters());
    expect(json.length / resolver.size).toBeLessThan(400);
  });
});
