/** Shared by the pipes tests: scratch folders, Python scripts, and runs on a fresh instance. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import {
  type AnyAssetDefinition,
  defineProject,
  type Instance,
  type LogEntry,
  type MaterializeOptions,
  materialize,
  openInstance,
  type RunResult,
  type StoredEvent,
} from 'weir';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

/** A fresh folder, removed after the test. */
export function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'weir-pipes-test-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Writes a Python script (its lines dedented) into `dir` and returns its path. */
export function script(dir: string, name: string, source: string): string {
  const path = join(dir, name);
  const lines = source.replace(/^\n/, '').split('\n');
  const indent = Math.min(
    ...lines.filter((l) => l.trim() !== '').map((l) => l.length - l.trimStart().length),
  );
  writeFileSync(path, lines.map((l) => l.slice(indent)).join('\n'));
  return path;
}

export interface Ran {
  result: RunResult;
  instance: Instance;
  logs: Array<{ key: string; entry: LogEntry }>;
  /** The events of the run, in order. */
  events(): Promise<StoredEvent[]>;
}

/** Materializes `assets` on a fresh embedded instance (closed after the test). */
export async function run(
  assets: readonly AnyAssetDefinition[],
  options: Pick<MaterializeOptions, 'signal' | 'selection'> & {
    onLog?: (key: string, entry: LogEntry) => void;
  } = {},
): Promise<Ran> {
  const instance = openInstance({ dir: join(scratch(), '.weir') });
  cleanups.push(() => instance.close());
  const logs: Ran['logs'] = [];
  const result = await materialize(defineProject({ assets: [...assets] }), {
    instance,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    ...(options.selection === undefined ? {} : { selection: options.selection }),
    onLog: (key, entry) => {
      logs.push({ key, entry });
      options.onLog?.(key, entry);
    },
  });
  return {
    result,
    instance,
    logs,
    events: async () =>
      result.runId === undefined ? [] : instance.eventLog.events({ runId: result.runId }),
  };
}

/** Whether a process with this pid is alive (and not a zombie). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const status = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return status.split(' ')[2] !== 'Z';
  } catch {
    return false;
  }
}

/** Resolves once `condition` holds; throws after `timeoutMs`. */
export async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error(`not true within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
