/**
 * artefact-integrity: what checking artefacts against their content hash costs when they are
 * read, per format, so the store can verify where that costs little next to the read.
 *
 * 1,000 artefacts per case, written through the local artefact store, then read (page cache
 * warm: the worst case for hashing, which has no disk latency to hide behind):
 * - json blobs of 1 KiB, 64 KiB and 1 MiB: the bytes as read before (`readFileSync` of the
 *   stored path: the baseline), through `store.read` (hashed against the address), and what a
 *   downstream step pays for a value (`JSON.parse` after each);
 * - `files` artefacts (one 256 KiB file; a directory of 16 files of 16 KiB): the path handed
 *   out with only an existence check (the baseline), after the cheap check `localPath` makes
 *   (present, not modified after its event), after a full hash, and, for scale, a consumer
 *   that reads every byte once;
 * - the status probe: the cheap check of 1,000 current artefacts.
 *
 * Reports medians over repeats (interleaved), as ms per 1,000 and ratios to the baseline.
 *
 * Run: npm run bench -- artefact-integrity [--repeats N]
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalArtefactStore } from 'weir';
import { gc, median, option, table } from './_report.js';

const COUNT = 1000;

interface Case {
  name: string;
  /** Timed variants: the first is the baseline. */
  variants: Array<[string, () => Promise<unknown> | unknown]>;
}

function jsonOf(bytes: number, seed: number): Uint8Array {
  const rows: Array<{ station: string; at: number; stageM: number }> = [];
  let size = 2;
  for (let i = 0; size < bytes; i++) {
    const row = {
      station: `S${(seed + i) % 97}`,
      at: 1_700_000_000 + i * 60,
      stageM: ((seed * 31 + i) % 997) / 100,
    };
    size += JSON.stringify(row).length + 1;
    rows.push(row);
  }
  return new TextEncoder().encode(JSON.stringify(rows));
}

async function blobCase(store: LocalArtefactStore, bytes: number, label: string): Promise<Case[]> {
  const locations: string[] = [];
  for (let i = 0; i < COUNT; i++) locations.push((await store.putBytes(jsonOf(bytes, i))).location);
  const paths = locations.map((l) => join(store.root, l));
  const decoder = new TextDecoder();
  return [
    {
      name: `json ${label}: read bytes`,
      variants: [
        [
          'unchecked',
          () => {
            for (const p of paths) readFileSync(p);
          },
        ],
        [
          'hashed',
          async () => {
            for (const l of locations) await store.read(l);
          },
        ],
      ],
    },
    {
      name: `json ${label}: read + JSON.parse`,
      variants: [
        [
          'unchecked',
          () => {
            for (const p of paths) JSON.parse(decoder.decode(readFileSync(p)));
          },
        ],
        [
          'hashed',
          async () => {
            for (const l of locations) JSON.parse(decoder.decode(await store.read(l)));
          },
        ],
      ],
    },
  ];
}

async function filesCase(store: LocalArtefactStore, kind: 'file' | 'directory'): Promise<Case> {
  const locations: string[] = [];
  for (let i = 0; i < COUNT; i++) {
    const out = await store.tempPath('out');
    if (kind === 'file') writeFileSync(out, jsonOf(256 * 1024, i));
    else {
      mkdirSync(out);
      for (let f = 0; f < 16; f++)
        writeFileSync(join(out, `part-${f}.json`), jsonOf(16 * 1024, i * 16 + f));
    }
    locations.push((await store.putPath(out)).location);
  }
  const storedAt = Date.now();
  const readAll = (path: string) => {
    if (kind === 'file') readFileSync(path);
    else for (const name of readdirSync(path)) readFileSync(join(path, name));
  };
  return {
    name: kind === 'file' ? 'files: one 256 KiB file' : 'files: directory of 16 × 16 KiB',
    variants: [
      [
        'path, exists only',
        () => {
          for (const l of locations) existsSync(join(store.root, l));
        },
      ],
      [
        'localPath (cheap check)',
        async () => {
          for (const l of locations) await store.localPath(l, { storedAt });
        },
      ],
      [
        'path + full hash',
        async () => {
          for (const l of locations) await store.verify(l, { deep: true });
        },
      ],
      [
        'consumer reads it all',
        () => {
          for (const l of locations) readAll(join(store.root, l));
        },
      ],
    ],
  };
}

async function probeCase(store: LocalArtefactStore): Promise<Case> {
  const locations: string[] = [];
  for (let i = 0; i < COUNT; i++)
    locations.push((await store.putBytes(jsonOf(1024, i + 7_000_000))).location);
  const storedAt = Date.now();
  return {
    name: 'status probe of 1,000 current artefacts',
    variants: [
      ['no check', () => locations.length],
      [
        'cheap check',
        async () => {
          for (const l of locations) await store.verify(l, { storedAt });
        },
      ],
      [
        'full hash',
        async () => {
          for (const l of locations) await store.verify(l, { deep: true });
        },
      ],
    ],
  };
}

async function time(fn: () => Promise<unknown> | unknown): Promise<number> {
  gc();
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

async function main(): Promise<void> {
  const repeats = Number(option('repeats') ?? 5);
  const root = mkdtempSync(join(tmpdir(), 'weir-bench-integrity-'));
  try {
    const store = new LocalArtefactStore(join(root, 'artefacts'));
    process.stdout.write(
      `artefact-integrity: node ${process.version}, ${COUNT} artefacts per case, ${repeats} repeats (medians), in ${root}\n`,
    );
    const cases = [
      ...(await blobCase(store, 1024, '1 KiB')),
      ...(await blobCase(store, 64 * 1024, '64 KiB')),
      ...(await blobCase(store, 1024 * 1024, '1 MiB')),
      await filesCase(store, 'file'),
      await filesCase(store, 'directory'),
      await probeCase(store),
    ];
    const samples = new Map<string, number[]>();
    for (let r = -1; r < repeats; r++) {
      for (const c of cases) {
        const order = r % 2 === 0 ? c.variants : [...c.variants].reverse();
        for (const [variant, fn] of order) {
          const ms = await time(fn);
          if (r >= 0)
            samples.set(`${c.name}\0${variant}`, [
              ...(samples.get(`${c.name}\0${variant}`) ?? []),
              ms,
            ]);
        }
      }
    }
    const rows: string[][] = [];
    for (const c of cases) {
      const base = median(samples.get(`${c.name}\0${c.variants[0]![0]}`)!);
      for (const [variant] of c.variants) {
        const ms = median(samples.get(`${c.name}\0${variant}`)!);
        rows.push([
          `${c.name}: ${variant}`,
          ms.toFixed(1),
          ((ms * 1000) / COUNT).toFixed(1),
          `${(ms / base).toFixed(2)}x`,
        ]);
      }
    }
    process.stdout.write(
      `\n${table(['case: variant', 'ms / 1,000', 'µs each', 'vs first'], rows)}\n`,
    );
    await store.close();
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

await main();
