/**
 * `weir daemon` as a user runs it: a file dropped in a folder updates everything downstream
 * by itself, `weir why` names the sensor and the file, `weir runs` the trigger; two daemons
 * and a manual `weir materialize` on one instance never run a step twice; `weir automation`
 * lists, pauses and resumes; Ctrl-C stops it cleanly.
 */
import type { ChildProcess } from 'node:child_process';
import { readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { projectDir, spawnWeir, waitFor, weir, weirJson, writeFile } from './cli-helpers.js';

/** An inbox folder sensor, a source per file, and a three-level eager chain over it. */
const INBOX_PROJECT = `
import { appendFileSync, readFileSync } from 'node:fs';
import { asset, defineProject, dynamicPartitions, eager, fileVersion, folderSensor, many, sourceAsset } from 'weir';

const ran = (key: string) => appendFileSync('executions.log', key + '\\n');
const files = dynamicPartitions('inbox_files');
const file = sourceAsset({
  key: 'raw/file',
  partitions: files,
  observe: (ctx) => fileVersion('inbox/' + ctx.partition!.key + '.csv'),
});
const inbox = folderSensor({ name: 'inbox', path: 'inbox', pattern: '*.csv', source: file, partitions: files, interval: '200ms' });
const rows = asset({
  key: 'rows',
  partitions: files,
  deps: [file],
  automation: eager(),
  materialize: (ctx) => { ran('rows[' + ctx.partition.key + ']'); return readFileSync('inbox/' + ctx.partition.key + '.csv', 'utf8').trim().split('\\n').length; },
});
const total = asset({
  key: 'total',
  ins: { rows: many(rows) },
  automation: eager(),
  materialize: (_ctx, { rows }) => { ran('total'); return [...rows.values()].reduce((a, b) => a + b, 0); },
});
const report = asset({
  key: 'report',
  ins: { total },
  automation: eager(),
  materialize: (_ctx, { total }) => { ran('report'); return 'total ' + total; },
});
export default defineProject({ assets: [file, rows, total, report], sensors: [inbox] });
`;

const running: ChildProcess[] = [];
afterEach(async () => {
  for (const child of running.splice(0)) {
    if (child.exitCode === null) {
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
    }
  }
});

function daemon(dir: string): { child: ChildProcess; output: () => string } {
  const child = spawnWeir(dir, 'daemon');
  running.push(child);
  let text = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk) => {
    text += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk) => {
    text += chunk;
  });
  return { child, output: () => text };
}

/** Writes a file under a hidden name and renames it, as a real drop should. */
function drop(dir: string, name: string, content: string): void {
  writeFile(join(dir, 'inbox', `.${name}`), content);
  renameSync(join(dir, 'inbox', `.${name}`), join(dir, 'inbox', name));
}

const executions = (dir: string) => {
  try {
    return readFileSync(join(dir, 'executions.log'), 'utf8').trim().split('\n').filter(Boolean);
  } catch {
    return [];
  }
};

const value = (dir: string, key: string) => weir(dir, 'value', key).stdout.trim();

describe('weir daemon', () => {
  it('updates everything downstream of a dropped file by itself, and why names the sensor and the file', async () => {
    const dir = projectDir({ 'weir.config.ts': INBOX_PROJECT, 'inbox/README.md': 'drop csv here' });
    const { child, output } = daemon(dir);
    await waitFor(() => output().includes('is the daemon of this instance'));
    // Missing assets whose upstream is fine are made at once (no partitions yet: total 0).
    await waitFor(() => value(dir, 'report').includes('total 0'), 20_000);
    drop(dir, 'a.csv', 'x\ny\n');
    await waitFor(() => value(dir, 'report').includes('total 2'), 20_000);
    expect(executions(dir)).toEqual(['total', 'report', 'rows[a]', 'total', 'report']);
    const why = weir(dir, 'why', 'report');
    expect(why.stdout).toMatch(/launched by the daemon \(condition rows\)/);
    expect(why.stdout).toMatch(/by sensor inbox observing inbox\/a\.csv/);
    const runs = weirJson<Array<{ started: { trigger?: { kind: string } } }>>(dir, 'runs');
    expect(runs[0]?.started.trigger?.kind).toBe('condition');

    // A second file: only its own partition and what reads it.
    drop(dir, 'b.csv', 'z\n');
    await waitFor(() => value(dir, 'report').includes('total 3'), 20_000);
    expect(executions(dir).slice(2)).toEqual([
      'rows[a]',
      'total',
      'report',
      'rows[b]',
      'total',
      'report',
    ]);

    // Two files in one tick, one run: why names each partition's own file.
    drop(dir, 'c.csv', 'c\n');
    drop(dir, 'd.csv', 'd\n');
    await waitFor(() => value(dir, 'report').includes('total 5'), 20_000);
    for (const name of ['c', 'd']) {
      const line = weir(dir, 'why', 'rows', '--partition', name).stdout;
      expect(line).toContain(`inbox/${name}.csv`);
      expect(line).not.toContain(`inbox/${name === 'c' ? 'd' : 'c'}.csv`);
    }

    child.kill('SIGINT');
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code).toBe(0);
    expect(output()).toContain('stopped');
    // Idle when stopped: nothing to cancel, and it does not claim to.
    expect(output()).not.toContain('cancelling');
  }, 60_000);

  it('two daemons and a manual materialize on one instance: every step once', async () => {
    const dir = projectDir({ 'weir.config.ts': INBOX_PROJECT, 'inbox/README.md': '' });
    const one = daemon(dir);
    const two = daemon(dir);
    await waitFor(() =>
      [one, two].some((d) => d.output().includes('is the daemon of this instance')),
    );
    await waitFor(() => [one, two].some((d) => d.output().includes('standing by')));
    for (const name of ['a', 'b', 'c', 'd']) drop(dir, `${name}.csv`, `${name}\n`);
    // A person runs the same work by hand meanwhile.
    const manual = weir(dir, 'materialize');
    expect([0, 1]).toContain(manual.code);
    await waitFor(() => value(dir, 'report').includes('total 4'), 20_000);
    // Let both daemons settle; nothing more may run.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const counts = new Map<string, number>();
    for (const key of executions(dir)) counts.set(key, (counts.get(key) ?? 0) + 1);
    for (const name of ['a', 'b', 'c', 'd']) expect(counts.get(`rows[${name}]`)).toBe(1);
    expect(weir(dir, 'materialize').stdout).toMatch(/Nothing to do/);
  }, 60_000);

  it('weir automation lists what is automated, and pauses and resumes a sensor', () => {
    const dir = projectDir({ 'weir.config.ts': INBOX_PROJECT, 'inbox/README.md': '' });
    const list = weirJson<Array<{ kind: string; name: string; paused: boolean }>>(
      dir,
      'automation',
    );
    expect(list.map((e) => [e.kind, e.name])).toEqual([
      ['sensor', 'inbox'],
      ['condition', 'rows'],
      ['condition', 'total'],
      ['condition', 'report'],
    ]);
    expect(weir(dir, 'automation', 'pause', 'inbox').stdout).toBe('inbox paused\n');
    expect(weir(dir, 'automation', 'pause', 'inbox').stdout).toBe('inbox is already paused\n');
    expect(weirJson<Array<{ paused: boolean }>>(dir, 'automation')[0]?.paused).toBe(true);
    expect(weir(dir, 'automation', 'resume', 'inbox').stdout).toBe('inbox resumed\n');
    const unknown = weir(dir, 'automation', 'pause', 'inbx');
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toMatch(
      /no sensor, schedule, asset condition or observed source 'inbx'/,
    );
    expect(unknown.stderr).toMatch(/inbox/);
    const text = weir(dir, 'automation').stdout;
    expect(text).toMatch(/sensor\s+inbox\s+active/);
  });
});
