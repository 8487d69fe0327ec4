/**
 * @module artefacts/conformance/_kit
 * What the parts of the ArtefactStore conformance suite share: its options, a store per case
 * (`withStore`), a location with nothing stored, and small helpers for bytes and trees.
 */
import { lstatSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expect } from 'vitest';
import { ArtefactError, type ArtefactStore, type StoredObject } from '../artefact-store.js';

export interface ArtefactStoreConformanceOptions<S extends ArtefactStore = ArtefactStore> {
  name: string;
  /** A new, empty store in storage of its own. The suite closes it. */
  create: () => Promise<S>;
  /**
   * Changes the content stored at `location` so that it no longer matches its address, as a bad
   * disk, a tool writing in place or another writer of the bucket would: a file or blob gets
   * one byte changed (same size), a directory one byte of one of its files. Its modification
   * time may move or not; the suite relies on neither.
   */
  corrupt: (location: string, store: S) => Promise<void>;
  /**
   * Makes the store's writes fail partway, after some of the bytes were sent or written (a full
   * disk, a dropped connection), until the function it returns is called. The suite then checks
   * that the failed `putBytes` of 12 MiB left nothing behind. A store that cannot have a fault
   * injected says why (`{ unsupported }`): the case is registered as skipped with the reason in
   * its name.
   */
  failWritesMidway: ((store: S) => Promise<() => Promise<void>>) | { unsupported: string };
}

/** What each part of the suite is given. */
export interface Kit<S extends ArtefactStore> {
  options: ArtefactStoreConformanceOptions<S>;
  /** Runs `test` on a new store, closing it afterwards whatever happens. */
  withStore: (test: (store: S) => Promise<void>) => () => Promise<void>;
  /** A location that names content, but nothing stored: stored once, then removed. */
  absentLocation: (store: S, seed: string) => Promise<string>;
}

export function kitOf<S extends ArtefactStore>(
  options: ArtefactStoreConformanceOptions<S>,
): Kit<S> {
  return {
    options,
    withStore: (test) => async () => {
      const store = await options.create();
      try {
        await test(store);
      } finally {
        await store.close();
      }
    },
    absentLocation: async (store, seed) => {
      const { location } = await store.putBytes(text(`absent ${seed}`));
      expect(await store.remove(location, { unlessModifiedAfter: Date.now() + 60_000 })).toBe(true);
      return location;
    },
  };
}

export const text = (s: string) => new TextEncoder().encode(s);

/** Deterministic bytes that are not text: every byte value occurs. */
export function binary(size: number, seed: number): Uint8Array {
  const out = new Uint8Array(size);
  let x = seed * 2654435761 + 1;
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

export async function rejection(promise: Promise<unknown>): Promise<ArtefactError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ArtefactError);
    return error as ArtefactError;
  }
  throw new Error('expected an ArtefactError, but the call succeeded');
}

export async function collect(store: ArtefactStore): Promise<StoredObject[]> {
  const out: StoredObject[] = [];
  for await (const item of store.list()) out.push(item);
  return out;
}

/** A tree as `relative path → content` (directories as `null`), for comparing two trees. */
export function treeOf(path: string): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  const walk = (dir: string, prefix: string) => {
    for (const name of readdirSync(dir).sort()) {
      const full = join(dir, name);
      const relative = prefix === '' ? name : `${prefix}/${name}`;
      if (lstatSync(full).isDirectory()) {
        out[relative] = null;
        walk(full, relative);
      } else out[relative] = readFileSync(full, 'latin1');
    }
  };
  walk(path, '');
  return out;
}

/** Writes a tree (`relative path → content`, `null` for an empty directory) at `root`. */
export function writeTree(root: string, tree: Record<string, string | Uint8Array | null>): void {
  mkdirSync(root, { recursive: true });
  for (const [relative, content] of Object.entries(tree)) {
    const full = join(root, relative);
    if (content === null) mkdirSync(full, { recursive: true });
    else {
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, content);
    }
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
