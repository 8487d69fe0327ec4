/**
 * @module execution/conformance-executor
 * The executor conformance suite (vitest): what every executor must do, whatever runs the
 * steps (this process, child processes, queue workers). It writes a project to disk (see
 * `_executor-fixtures.ts`), so an executor may load it elsewhere, and runs `materialize` on
 * it through the executor: every unit materialized exactly once (side effects counted in a
 * file), inputs, partitions and ranges, failures that stay where they happen, retries,
 * checks, cancellation, logs in order, previous values and resources.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalArtefactStore } from '../artefacts/index.js';
import type { ProjectDefinition } from '../definitions/index.js';
import { SqliteEventLog, type StoredEvent } from '../storage/index.js';
import {
  CHATTY_LINES,
  FIXTURE_DAYS,
  FIXTURE_NOW,
  FIXTURE_REGIONS,
  fixtureProject,
} from './_executor-fixtures.js';
import type { LogEntry } from './_step-logger.js';
import { assetValue } from './asset-value.js';
import type { Executor } from './executor.js';
import { createInstance, type Instance } from './instance.js';
import { type MaterializeOptions, materialize, type RunResult } from './run.js';

/** Where the executor under test finds the suite's project. */
export interface ConformanceProject {
  /** The project file (`weir.config.ts`). */
  file: string;
  /** Its folder. */
  dir: string;
  /** The embedded instance the runs use (`.weir` in `dir`). */
  instanceDir: string;
}

export interface ExecutorConformanceOptions {
  /** A name for the describe block, e.g. `child processes`. */
  name: string;
  /** The executor under test, for the suite's project (closed after the suite if it can be). */
  executor(project: ConformanceProject): Executor | Promise<Executor>;
  /**
   * Where the suite writes its project: a folder from which `import 'weir'` resolves (the
   * project is loaded there); `.weir-conformance` in the working directory when omitted.
   */
  projectsDir?: string;
  /** The instance the runs use; the embedded one in `instanceDir` (SQLite, local files) when omitted. */
  openInstance?(instanceDir: string): Instance | Promise<Instance>;
}

export function runExecutorConformance(options: ExecutorConformanceOptions): void {
  describe(`executor conformance: ${options.name}`, () => {
    const dir = resolve(
      options.projectsDir ?? '.weir-conformance',
      `executor-${process.pid}-${Math.random().toString(36).slice(2, 8)}`,
    );
    const effects = join(dir, 'effects.log');
    const tick = join(dir, 'tick.txt');
    const where: ConformanceProject = {
      file: join(dir, 'weir.config.ts'),
      dir,
      instanceDir: join(dir, '.weir'),
    };
    let project: ProjectDefinition;
    let instance: Instance;
    let executor: Executor;

    beforeAll(async () => {
      mkdirSync(dir, { recursive: true });
      writeFileSync(where.file, fixtureProject(effects, tick));
      writeFileSync(tick, 'a');
      const module = (await import(pathToFileURL(where.file).href)) as {
        default: ProjectDefinition;
      };
      project = module.default;
      instance = await (options.openInstance?.(where.instanceDir) ?? embedded(where.instanceDir));
      executor = await options.executor(where);
    });

    afterAll(async () => {
      await executor?.close?.();
      await instance?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    const run = (selection: string, more: Partial<MaterializeOptions> = {}) =>
      materialize(project, { instance, executor, selection, now: FIXTURE_NOW, ...more });
    /** The lines of the effects file that start with `prefix`. */
    const effectLines = (prefix: string) =>
      (existsSync(effects) ? readFileSync(effects, 'utf8') : '')
        .split('\n')
        .filter((line) => line.startsWith(prefix));
    const eventsOf = async (result: RunResult, assetKey?: string) =>
      instance.eventLog.events({
        runId: result.runId!,
        ...(assetKey === undefined ? {} : { assetKey }),
      });
    const value = async (key: string, partition?: string) =>
      (
        await assetValue(project, {
          instance,
          key,
          now: FIXTURE_NOW,
          ...(partition === undefined ? {} : { partition }),
        })
      ).value;

    it('materializes every unit exactly once, each reading its inputs', async () => {
      const result = await run('once/root,once/regional,once/total');
      expect(result.status).toBe('success');
      const units = ['once/root', ...FIXTURE_REGIONS.map((r) => `once/regional[${r}]`)];
      expect([...result.summary.materialized].sort()).toEqual([...units, 'once/total'].sort());
      for (const unit of [...units, 'once/total']) {
        expect(effectLines(`${unit} `), unit).toEqual([`${unit} ${result.runId}`]);
      }
      const materialized = (await eventsOf(result)).filter((e) => e.type === 'asset:materialized');
      expect(materialized).toHaveLength(units.length + 1);
      expect(await value('once/regional', 'north')).toBe(15);
      expect(await value('once/total')).toBe(4 * 10 + 5 + 5 + 4 + 4);
      // The code versions and inputs recorded are those the plan sees: nothing is stale now.
      const again = await run('once/root,once/regional,once/total');
      expect(again.status).toBe('nothing-to-do');
      expect(effectLines('once/root ')).toHaveLength(1);
    });

    it('hands a partition its window, and a single-run unit its whole range in one call', async () => {
      const result = await run('once/daily,once/range');
      expect(result.status).toBe('success');
      for (const day of FIXTURE_DAYS) {
        expect(effectLines(`once/daily[${day}] `)).toEqual([`once/daily[${day}] ${result.runId}`]);
        expect(await value('once/daily', day)).toEqual({
          day,
          start: `${day}T00:00:00.000Z`,
        });
        expect(await value('once/range', day)).toBe(`${day}T00:00:00.000Z of 4`);
      }
      expect(effectLines('once/range[')).toEqual([
        `once/range[${FIXTURE_DAYS.join(',')}] ${result.runId}`,
      ]);
      const range = await eventsOf(result, 'once/range');
      expect(range.filter((e) => e.type === 'asset:materialized').map(partitionOf)).toEqual(
        FIXTURE_DAYS,
      );
    });

    it('fails a step alone: its error recorded, its readers skipped, the rest done', async () => {
      const result = await run('fail/*');
      expect(result.status).toBe('failed');
      expect(result.summary.failed).toEqual(['fail/boom']);
      expect(result.reasons['fail/boom']).toContain('boom from fail/boom');
      expect(result.summary.skipped).toEqual(['fail/after']);
      expect(result.summary.materialized).toEqual(['fail/other']);
      const [failed] = (await eventsOf(result, 'fail/boom')).filter(
        (e) => e.type === 'step:failed',
      );
      expect(failed).toMatchObject({ attempt: 1, error: { code: 'E_USER_CODE' } });
      expect(effectLines('fail/boom')).toHaveLength(1);
    });

    it('retries as the policy says, recording each attempt', async () => {
      const result = await run('retry/*');
      expect(result.summary.materialized).toEqual(['retry/flaky']);
      expect(result.summary.failed).toEqual(['retry/hopeless']);
      expect(effectLines('retry/flaky ')).toEqual(['retry/flaky 1', 'retry/flaky 2']);
      expect(effectLines('retry/hopeless ')).toEqual(['retry/hopeless 1', 'retry/hopeless 2']);
      const flaky = (await eventsOf(result, 'retry/flaky')).map(stepOf);
      expect(flaky).toEqual([
        'step:started 1',
        'step:retrying 1',
        'step:started 2',
        'asset:materialized',
      ]);
      const hopeless = (await eventsOf(result, 'retry/hopeless')).map(stepOf);
      expect(hopeless).toEqual([
        'step:started 1',
        'step:retrying 1',
        'step:started 2',
        'step:failed 2',
      ]);
      expect(await value('retry/flaky')).toBe(2);
    });

    it('records check results, and a failed blocking check holds back the readers', async () => {
      const result = await run('checks/*');
      expect(result.summary.materialized).toEqual(['checks/good']);
      expect(result.summary.failed).toEqual(['checks/bad']);
      expect(result.summary.skipped).toEqual(['checks/after']);
      const checks = (await eventsOf(result)).filter((e) => e.type === 'check:evaluated');
      expect(checks.map((e) => `${e.assetKey} ${e.check.name} ${e.check.passed}`).sort()).toEqual([
        'checks/bad positive false',
        'checks/good positive true',
      ]);
      const [bad] = (await eventsOf(result, 'checks/bad')).filter(
        (e) => e.type === 'asset:materialized',
      );
      expect(bad).toMatchObject({ materialization: { blockedBy: ['positive'] } });
    });

    it('cancels a step in flight: nothing materialized, nothing after it, the run ends', async () => {
      const controller = new AbortController();
      const started = Date.now();
      const result = await run('cancel/*', {
        signal: controller.signal,
        onLog: (key, entry) => {
          if (key === 'cancel/wait' && entry.message === 'waiting') controller.abort();
        },
      });
      expect(result.status).toBe('cancelled');
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(result.summary.cancelled).toContain('cancel/wait');
      const types = (await eventsOf(result, 'cancel/wait')).map((e) => e.type);
      expect(types).toContain('step:cancelled');
      expect(types).not.toContain('asset:materialized');
      expect(effectLines('cancel/wait')).toEqual(['cancel/wait started']);
      expect(effectLines('cancel/after')).toEqual([]);
      // A cancelled run leaves the executor ready for the next.
      const next = await run('once/root', { force: true });
      expect(next.status).toBe('success');
    });

    it('records every log line in order, and hands each to onLog as it comes', async () => {
      const seen: LogEntry[] = [];
      const result = await run('logs/chatty', {
        onLog: (key, entry) => {
          if (key === 'logs/chatty') seen.push(entry);
        },
      });
      expect(result.status).toBe('success');
      const expected = [
        ...Array.from({ length: CHATTY_LINES }, (_, i) => `info line ${i}`),
        'warn last',
      ];
      const logs = (await eventsOf(result, 'logs/chatty')).filter((e) => e.type === 'step:log');
      expect(logs.map((e) => `${e.level} ${e.message}`)).toEqual(expected);
      expect(logs[7]).toMatchObject({ fields: { i: 7 } });
      expect(seen.map((e) => `${e.level} ${e.message}`)).toEqual(expected);
    });

    it('gives a step its previous value and its resources, disposed of when the run ends', async () => {
      expect((await run('state/*')).status).toBe('success');
      expect(await value('state/counter')).toBe(3);
      // Its input changes: it runs again, from its previous value.
      writeFileSync(tick, 'b');
      expect((await run('state/tick', { force: true })).status).toBe('success');
      expect((await run('state/counter')).summary.materialized).toEqual(['state/counter']);
      expect(await value('state/counter')).toBe(6);
      // Forced, it builds from scratch: no previous value.
      expect((await run('state/counter', { force: true })).status).toBe('success');
      expect(await value('state/counter')).toBe(3);
      expect(effectLines('resource created').length).toBeGreaterThanOrEqual(3);
      expect(effectLines('resource disposed')).toHaveLength(effectLines('resource created').length);
    });
  });
}

function embedded(dir: string): Instance {
  return createInstance({
    eventLog: new SqliteEventLog(join(dir, 'events.db')),
    artefacts: new LocalArtefactStore(join(dir, 'artefacts')),
  });
}

function partitionOf(event: StoredEvent): string {
  return 'partition' in event ? event.partition : '';
}

/** `type attempt` of a step's event (`type` alone for events without an attempt). */
function stepOf(event: StoredEvent): string {
  return 'attempt' in event ? `${event.type} ${event.attempt}` : event.type;
}
