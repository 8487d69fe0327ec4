/**
 * The layer rule of docs/architecture.md, enforced: a file never imports from a higher layer
 * or from a peer, and reaches another layer only through its `index.ts`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));

/** Layers from the bottom; folders of one rank are peers and may not import each other. */
const RANKS: Record<string, number> = {
  '.': 0, // errors.ts, hash.ts, version.ts, file-version.ts, source-stacks.ts: shared by every layer
  definitions: 1,
  graph: 2,
  checks: 2,
  launch: 2, // how a worker gets a machine: reads an asset's attributes; execution, daemon and cli may use it
  storage: 3,
  artefacts: 3,
  versioning: 4,
  execution: 5,
  automation: 6, // the condition engine: a peer of instance
  instance: 6,
  locations: 6, // code locations: manifests of other processes' projects, and the executor that runs their steps
  daemon: 7, // runs automation against an instance, and sends notifications
  server: 8, // the HTTP API and the web UI's files, over an instance (and the daemon's list of automation)
  cli: 9,
};

/** The package's entry points sit on top and import each layer's surface. */
const ENTRIES = new Set(['index.ts', 'testing.ts']);

/** Imports that pass a layer's index on purpose, with the reason. */
const ALLOWED = new Map<string, string>([
  // The conformance suite imports vitest: the storage index (loaded at run time) must not.
  ['testing.ts -> storage/conformance.ts', 'the test kit is its own entry point'],
  ['testing.ts -> artefacts/conformance.ts', 'the test kit is its own entry point'],
  ['testing.ts -> execution/conformance-executor.ts', 'the test kit is its own entry point'],
]);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

function layerOf(file: string): string {
  const parts = relative(SRC, file).split(sep);
  return parts.length === 1 ? '.' : parts[0]!;
}

function importsOf(file: string): string[] {
  // Template literals are text (the files `weir init` writes hold imports of their own).
  const text = readFileSync(file, 'utf8').replace(/`(?:\\[\s\S]|[^`\\])*`/g, '``');
  const found: string[] = [];
  for (const match of text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)) {
    found.push(resolve(dirname(file), match[1]!.replace(/\.js$/, '.ts')));
  }
  return found;
}

describe('layers', () => {
  const files = sourceFiles(SRC);

  it('knows the layer of every file', () => {
    const unknown = files.map(layerOf).filter((layer) => RANKS[layer] === undefined);
    expect(unknown).toEqual([]);
  });

  it('never imports upward, sideways, or past another layer’s index.ts', () => {
    const problems: string[] = [];
    for (const file of files) {
      const from = relative(SRC, file);
      if (ENTRIES.has(from)) continue;
      const fromLayer = layerOf(file);
      for (const target of importsOf(file)) {
        const to = relative(SRC, target);
        const toLayer = layerOf(target);
        if (toLayer === fromLayer) continue;
        if (ALLOWED.has(`${from} -> ${to}`)) continue;
        const rankFrom = RANKS[fromLayer]!;
        const rankTo = RANKS[toLayer]!;
        if (rankTo > rankFrom) problems.push(`${from} imports ${to}: a higher layer`);
        else if (rankTo === rankFrom) problems.push(`${from} imports ${to}: a peer layer`);
        else if (toLayer !== '.' && to !== `${toLayer}/index.ts`) {
          problems.push(`${from} imports ${to}: not through ${toLayer}/index.ts`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('has the package entries import only layer surfaces (or allowed exceptions)', () => {
    const problems: string[] = [];
    for (const entry of ENTRIES) {
      for (const target of importsOf(join(SRC, entry))) {
        const to = relative(SRC, target);
        const layer = layerOf(target);
        if (layer === '.' || to === `${layer}/index.ts`) continue;
        if (!ALLOWED.has(`${entry} -> ${to}`)) problems.push(`${entry} imports ${to}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('opens every source file with a comment saying what it is for', () => {
    const bare = files.filter((file) => !/^\s*(\/\*\*|\/\/)/.test(readFileSync(file, 'utf8')));
    expect(bare.map((file) => relative(SRC, file))).toEqual([]);
  });
});
