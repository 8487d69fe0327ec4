/**
 * The child-process executor beyond the conformance suite: steps run in long-lived child
 * processes; a step whose process segfaults, runs out of memory or calls process.exit()
 * fails alone with the reason, and the pool goes on in a new process; a crash mid-write
 * leaves the current artefact as it was; a cancelled step stuck in a loop has its process
 * killed; a process that loaded other code, or opened another instance, refuses to run the
 * unit, and says why. Real processes throughout, no mocks.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type ChildProcessExecutor,
  childProcessExecutor,
  createInstance,
  type Instance,
  LocalArtefactStore,
  materialize,
  type ProjectDefinition,
  SqliteEventLog,
} from '../src/index.js';
import { projectDir, waitFor, weir, weirJson } from './cli-helpers.js';

const closing: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const item of closing.splice(0).reverse()) await item.close();
});

/** A project written to disk and imported here (explicit code versions: the children agree). */
async function library(config: string) {
  const dir = projectDir({ 'weir.config.ts': config });
  const file = join(dir, 'weir.config.ts');
  const project = ((await import(pathToFileURL(file).href)) as { default: ProjectDefinition })
    .default;
  const instanceDir = join(dir, '.weir');
  const instance: Instance = createInstance({
    eventLog: new SqliteEventLog(join(instanceDir, 'events.db')),
    artefacts: new LocalArtefactStore(join(instanceDir, 'artefacts')),
  });
  closing.push(instance);
  const executor = (options: { processes?: number; instanceDir?: string } = {}) => {
    const made: ChildProcessExecutor = childProcessExecutor({
      project: file,
      instanceDir,
      // The steps' relative paths are the project folder's.
      cwd: dir,
      ...options,
    });
    closing.push(made);
    return made;
  };
  return { dir, file, project, instance, executor };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('child-process executor', () => {
  it('runs the steps in long-lived child processes, many steps each', async () => {
    const { dir, project, instance, executor } = await library(`
import { appendFileSync } from 'node:fs';
import { asset, defineProject, staticPartitions } from 'weir';
const parts = asset({ key: 'parts', codeVersion: '1', partitions: staticPartitions(['a','b','c','d','e','f','g','h']),
  materialize: (ctx) => { appendFileSync('pids.log', process.pid + '\\n'); return ctx.partition.key; } });
export default defineProject({ assets: [parts], concurrency: 2 });
`);
    const result = await materialize(project, { instance, executor: executor({ processes: 2 }) });
    expect(result.status).toBe('success');
    const pids = readFileSync(join(dir, 'pids.log'), 'utf8').trim().split('\n');
    expect(pids).toHaveLength(8);
    expect(new Set(pids).size).toBeLessThanOrEqual(2);
    expect(pids).not.toContain(String(process.pid));
  });

  it('kills a cancelled step that ignores the signal, and the run ends', async () => {
    const { dir, project, instance, executor } = await library(`
import { writeFileSync } from 'node:fs';
import { asset, defineProject } from 'weir';
const stuck = asset({ key: 'stuck', codeVersion: '1', materialize: () => {
  writeFileSync('stuck.pid', String(process.pid));
  for (;;) {}
} });
export default defineProject({ assets: [stuck] });
`);
    const controller = new AbortController();
    const running = materialize(project, {
      instance,
      executor: executor({ processes: 1 }),
      signal: controller.signal,
    });
    const pidFile = join(dir, 'stuck.pid');
    await waitFor(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8') !== '');
    const pid = Number(readFileSync(pidFile, 'utf8'));
    controller.abort();
    const result = await running;
    expect(result.status).toBe('cancelled');
    expect(result.summary.cancelled).toEqual(['stuck']);
    await waitFor(() => !alive(pid), 5_000);
  });

  it('refuses a unit whose code changed on disk since the run planned it', async () => {
    const config = (version: string) => `
import { asset, defineProject } from 'weir';
const a = asset({ key: 'a', codeVersion: '${version}', materialize: () => 1 });
export default defineProject({ assets: [a] });
`;
    const { file, project, instance, executor } = await library(config('1'));
    writeFileSync(file, config('2'));
    const result = await materialize(project, { instance, executor: executor({ processes: 1 }) });
    expect(result.status).toBe('failed');
    expect(result.reasons.a).toMatch(
      /this process cannot run a of run .*: its code differs \(version 2 here, 1 when the run planned it\)/,
    );
  });

  it('refuses a unit of a run its process cannot see (another instance)', async () => {
    const { dir, project, instance, executor } = await library(`
import { asset, defineProject } from 'weir';
const a = asset({ key: 'a', codeVersion: '1', materialize: () => 1 });
export default defineProject({ assets: [a] });
`);
    const elsewhere = executor({ processes: 1, instanceDir: join(dir, 'other-instance') });
    const result = await materialize(project, { instance, executor: elsewhere });
    expect(result.status).toBe('failed');
    expect(result.reasons.a).toMatch(
      /run .* is not in this process's event log: it opened another instance than the run's/,
    );
  });
});

describe('child-process executor in a plain script', () => {
  it('does not keep the script alive once the run is over, even left open', () => {
    const dir = projectDir({
      'weir.config.ts': `
import { asset, defineProject } from 'weir';
const a = asset({ key: 'a', codeVersion: '1', materialize: () => 1 });
const b = asset({ key: 'b', codeVersion: '1', ins: { a }, materialize: (_ctx, { a }) => a + 1 });
export default defineProject({ assets: [a, b] });
`,
      // Plain Node, no test runner keeping the event loop busy: an idle pool must not hold
      // it, and a wait for the pool with nothing else to do must not let it end early.
      'script.mjs': `
import { childProcessExecutor, materialize, openInstance } from 'weir';
const { default: project } = await import('./weir.config.ts.mjs');
const executor = childProcessExecutor({ project: 'weir.config.ts', processes: 2 });
const result = await materialize(project, { instance: openInstance(), executor });
console.log(result.status, result.summary.materialized.join(','));
`,
    });
    writeFileSync(
      join(dir, 'weir.config.ts.mjs'),
      readFileSync(join(dir, 'weir.config.ts'), 'utf8'),
    );
    const run = spawnSync(process.execPath, ['script.mjs'], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('success a,b\n');
  });
});

describe('weir materialize --executor processes', () => {
  const CRASHES = `
import { appendFileSync } from 'node:fs';
import { asset, defineProject, staticPartitions } from 'weir';
const kinds = staticPartitions(['fine', 'segv', 'oom', 'exit', 'after']);
const step = asset({ key: 'step', partitions: kinds, materialize: (ctx) => {
  appendFileSync('ran.log', ctx.partition.key + ' ' + process.pid + '\\n');
  if (ctx.partition.key === 'segv') process.kill(process.pid, 'SIGSEGV');
  if (ctx.partition.key === 'oom') { const keep = []; for (;;) keep.push(new Array(1e6).fill(1)); }
  if (ctx.partition.key === 'exit') process.exit(0);
  return ctx.partition.key;
} });
const next = asset({ key: 'next', partitions: kinds, ins: { step }, materialize: (_ctx, { step }) => step + '!' });
export default defineProject({ assets: [step, next], concurrency: 1 });
`;

  it('fails a step whose process crashes alone, with the reason, and goes on in a new process', () => {
    const dir = projectDir({ 'weir.config.ts': CRASHES });
    const result = weir(
      dir,
      'materialize',
      '--executor',
      'processes:1',
      '--max-old-space-size',
      '48',
      '--json',
    );
    expect(result.code).toBe(1);
    const run = JSON.parse(result.stdout) as {
      summary: { materialized: string[]; failed: string[]; skipped: string[] };
      reasons: Record<string, string>;
    };
    expect(run.reasons['step[segv]']).toBe('the process running step[segv] was killed by SIGSEGV');
    expect(run.reasons['step[oom]']).toBe(
      'the process running step[oom] ran out of memory (V8 reached its heap limit of 48 MB: --max-old-space-size)',
    );
    expect(run.reasons['step[exit]']).toBe(
      'the process running step[exit] exited with code 0 while the step ran (did it call process.exit()?)',
    );
    expect([...run.summary.materialized].sort()).toEqual([
      'next[after]',
      'next[fine]',
      'step[after]',
      'step[fine]',
    ]);
    expect([...run.summary.skipped].sort()).toEqual(['next[exit]', 'next[oom]', 'next[segv]']);
    // One process at a time: each crash had the pool start another, which ran the next step.
    const ran = readFileSync(join(dir, 'ran.log'), 'utf8').trim().split('\n');
    expect(ran).toHaveLength(5);
    expect(new Set(ran.map((line) => line.split(' ')[1])).size).toBe(4);
    expect(weir(dir, 'status', 'step').stdout).toContain('2 fresh');
  });

  it('keeps the current artefact when a step dies while writing a new one', () => {
    const dir = projectDir({
      'weir.config.ts': `
import { writeFileSync } from 'node:fs';
import { asset, defineProject } from 'weir';
const report = asset({ key: 'report', io: 'files', materialize: (ctx) => {
  if (process.env.WEIR_TEST_CRASH) {
    writeFileSync(ctx.outputPath, 'half of a new rep');
    process.kill(process.pid, 'SIGSEGV');
  }
  writeFileSync(ctx.outputPath, 'the complete report');
} });
export default defineProject({ assets: [report] });
`,
    });
    expect(weir(dir, 'materialize', '--executor', 'processes:1').code).toBe(0);
    const crashed = spawnWithEnv(dir, { WEIR_TEST_CRASH: '1' }, [
      'materialize',
      '--force',
      '--executor',
      'processes:1',
    ]);
    expect(crashed.code).toBe(1);
    expect(crashed.stdout).toContain('the process running report was killed by SIGSEGV');
    const value = weirJson<{ value: { path: string } }>(dir, 'value', 'report');
    expect(readFileSync(value.value.path, 'utf8')).toBe('the complete report');
    const verified = weir(dir, 'verify', 'report');
    expect(verified.code).toBe(0);
  });

  it('runs a backfill in the pool too', () => {
    const dir = projectDir({
      'weir.config.ts': `
import { appendFileSync } from 'node:fs';
import { asset, dailyPartitions, defineProject } from 'weir';
const days = asset({ key: 'days', partitions: dailyPartitions({ start: '2024-01-01' }),
  materialize: (ctx) => { appendFileSync('pids.log', process.pid + '\\n'); return ctx.partition.key; } });
export default defineProject({ assets: [days] });
`,
    });
    const result = weir(
      dir,
      'backfill',
      '--from',
      '2024-01-01',
      '--to',
      '2024-01-06',
      '--executor',
      'processes:2',
    );
    expect(result.stderr).not.toContain('error');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('6 materialized');
    const pids = new Set(readFileSync(join(dir, 'pids.log'), 'utf8').trim().split('\n'));
    expect(pids.size).toBeGreaterThanOrEqual(1);
    expect(pids.size).toBeLessThanOrEqual(2);
  });

  it('names the executors it knows when given another', () => {
    const dir = projectDir({
      'weir.config.ts': `
import { asset, defineProject } from 'weir';
export default defineProject({ assets: [asset({ key: 'a', materialize: () => 1 })] });
`,
    });
    const bogus = weir(dir, 'materialize', '--executor', 'threads');
    expect(bogus.code).toBe(2);
    expect(bogus.stderr).toContain(
      "unknown executor 'threads': expected in-process, processes, or processes:N",
    );
    const heap = weir(dir, 'materialize', '--max-old-space-size', '64');
    expect(heap.code).toBe(2);
    expect(heap.stderr).toContain('it needs --executor processes');
  });
});

/** `weir ARGS` with more environment variables. */
function spawnWithEnv(cwd: string, env: Record<string, string>, args: string[]) {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    return weir(cwd, ...args);
  } finally {
    for (const key of Object.keys(env)) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
  }
}
