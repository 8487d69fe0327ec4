import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect } from 'vitest';
import { DefinitionError, type Instance, openInstance } from '../src/index.js';

const cleanups: Array<() => Promise<void> | void> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A fresh temporary folder, removed after the test. */
export function tempDir(prefix = 'weir-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A fresh embedded instance (SQLite + local artefacts) in a temporary folder, closed after the test. */
export function tempInstance(): Instance {
  const instance = openInstance({ dir: join(tempDir(), '.weir') });
  cleanups.push(() => instance.close());
  return instance;
}

/** Runs `fn`, expecting it to throw an instance of `kind`, and returns that error. */
export function thrownBy<E extends Error>(fn: () => unknown, kind: new (...args: never[]) => E): E {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(kind);
    return error as E;
  }
  throw new Error(`expected a ${kind.name}`);
}

/** Runs `fn`, expecting it to throw a DefinitionError, and returns that error. */
export function definitionError(fn: () => unknown): DefinitionError {
  return thrownBy(fn, DefinitionError);
}
