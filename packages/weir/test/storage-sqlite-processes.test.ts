/**
 * The SQLite event log's ordering guarantee across processes: several processes append to
 * one events.db at once while this one follows with an `afterId` cursor, which must see
 * every event once, in increasing id order, each append contiguous and whole.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SqliteEventLog } from '../src/index.js';
import {
  byPartition,
  expectCommitOrder,
  expectWholeAppends,
} from '../src/storage/_conformance-fixtures.js';
import type { StoredEvent } from '../src/storage/events.js';
import { tempDir } from './helpers.js';

const APPENDER = fileURLToPath(new URL('./support/sqlite-appender.mjs', import.meta.url));
const PROCESSES = 3;
const APPENDS = 150;

/** Output lines of a child, as they come. */
function lines(child: ChildProcess): AsyncGenerator<string> {
  const queue: string[] = [];
  let wake: (() => void) | undefined;
  let ended = false;
  let partial = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop()!;
    queue.push(...parts);
    wake?.();
  });
  child.stdout!.on('end', () => {
    ended = true;
    wake?.();
  });
  return (async function* () {
    for (;;) {
      if (queue.length > 0) yield queue.shift()!;
      else if (ended) return;
      else await new Promise<void>((resolve) => (wake = resolve));
    }
  })();
}

describe('SQLite event log across processes', () => {
  it('gives concurrent appender processes commit-ordered ids: a cursor reader sees every event once, each append whole', async () => {
    const path = join(tempDir(), 'events.db');
    const log = new SqliteEventLog(path);
    const children = Array.from({ length: PROCESSES }, (_, w) =>
      spawn(process.execPath, [APPENDER, path, String(w), String(APPENDS)], {
        stdio: ['pipe', 'pipe', 'inherit'],
      }),
    );
    const outputs = children.map(lines);
    for (const output of outputs) expect((await output.next()).value).toBe('ready');
    // Start them together, then follow them.
    const exits = children.map(
      (child) => new Promise<number | null>((resolve) => child.on('exit', resolve)),
    );
    let running = children.length;
    for (const exit of exits) void exit.then(() => running--);
    for (const child of children) child.stdin!.end('go\n');
    const seen: StoredEvent[] = [];
    let readsWhileWriting = 0;
    for (let more = true; more; ) {
      more = running > 0;
      const page = await log.events({ afterId: seen.at(-1)?.id ?? 0 });
      if (more && page.length > 0) readsWhileWriting++;
      seen.push(...page);
      expectWholeAppends(seen);
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    expect(await Promise.all(exits)).toEqual(children.map(() => 0));
    const appends: number[][][] = [];
    for (const output of outputs) appends.push(JSON.parse((await output.next()).value as string));
    expectCommitOrder(seen, appends.flat());
    expect(readsWhileWriting).toBeGreaterThan(1);
    // The appenders did run at once: their appends interleave in the log.
    const writers = seen.map((event) => ('runId' in event ? event.runId : ''));
    const switches = writers.filter((w, i) => i > 0 && w !== writers[i - 1]).length;
    expect(switches).toBeGreaterThan(PROCESSES * 10);
    for (let w = 0; w < PROCESSES; w++) {
      const rows = byPartition(await log.partitionStates(`writer${w}`));
      expect(Object.keys(rows)).toHaveLength(APPENDS);
    }
    await log.close();
  });
});
