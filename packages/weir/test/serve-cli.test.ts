/**
 * `weir serve` and `weir dev` as a user runs them: the URL printed, the API answering, a run
 * launched through it visible to `weir runs` with its trigger, Ctrl-C stopping cleanly, and a
 * clear refusal to serve beyond loopback without a token.
 */
import type { ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { projectDir, spawnWeir, waitFor, weir, weirJson } from './cli-helpers.js';

const PROJECT = `
import { asset, defineProject, eager } from 'weir';
const a = asset({ key: 'raw/a', materialize: () => 1 });
const b = asset({ key: 'clean/b', ins: { a }, automation: eager(), materialize: (_ctx, { a }) => a + 1 });
export default defineProject({ assets: [a, b] });
`;

const running: ChildProcess[] = [];
afterEach(async () => {
  for (const child of running.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
    }
  }
});

function start(dir: string, ...args: string[]) {
  const child = spawnWeir(dir, ...args);
  running.push(child);
  let text = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk) => {
    text += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk) => {
    text += chunk;
  });
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  return { child, output: () => text, exited };
}

const urlIn = (text: string) => /UI and API on (http:\/\/\S+)/.exec(text)?.[1];

describe('weir serve', () => {
  it('serves the API on the printed URL, launches runs, and stops on Ctrl-C', async () => {
    const dir = projectDir({ 'weir.config.ts': PROJECT });
    const server = start(dir, 'serve', '--port', '0');
    await waitFor(() => urlIn(server.output()) !== undefined, 20_000);
    const url = urlIn(server.output())!;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const graph = (await (await fetch(new URL('/api/graph', url))).json()) as {
      nodes: Array<{ status: string }>;
    };
    expect(graph.nodes.map((n) => n.status)).toEqual(['missing', 'missing']);
    const launched = await fetch(new URL('/api/runs', url), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ selection: '*' }),
    });
    expect(launched.status).toBe(201);
    const { runId } = (await launched.json()) as { runId: string };
    await waitFor(
      () =>
        weirJson<Array<{ runId: string; status: string }>>(dir, 'runs')[0]?.status === 'success',
      20_000,
    );
    const runs = weir(dir, 'runs');
    expect(runs.stdout).toContain(runId);
    expect(runs.stdout).toMatch(/api operator/);
    server.child.kill('SIGINT');
    expect(await server.exited).toBe(0);
    expect(server.output()).toMatch(/stopped/);
  });

  it('refuses to serve beyond loopback without a token, and says how to give one', () => {
    const dir = projectDir({ 'weir.config.ts': PROJECT });
    const result = weir(dir, 'serve', '--host', '0.0.0.0', '--port', '0');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/refusing to serve on 0\.0\.0\.0 without a token/);
    expect(result.stderr).toMatch(/WEIR_TOKEN/);
    const badPort = weir(dir, 'serve', '--port', 'eighty');
    expect(badPort.code).toBe(2);
    expect(badPort.stderr).toMatch(/--port takes a whole number/);
  });
});

describe('weir dev', () => {
  it('runs the daemon and the UI together', async () => {
    const dir = projectDir({ 'weir.config.ts': PROJECT });
    const dev = start(dir, 'dev', '--port', '0');
    await waitFor(
      () => urlIn(dev.output()) !== undefined && dev.output().includes('is the daemon'),
      20_000,
    );
    const url = urlIn(dev.output())!;
    await fetch(new URL('/api/runs', url), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ selection: 'raw/a' }),
    });
    // The daemon's eager condition brings clean/b up to date after raw/a.
    await waitFor(() => weir(dir, 'value', 'clean/b').stdout.trim() === '2', 20_000);
    const automation = (await (await fetch(new URL('/api/automation', url))).json()) as {
      entries: Array<{ name: string }>;
    };
    expect(automation.entries.map((e) => e.name)).toEqual(['clean/b']);
    // The daemon's reaction (raw/a materialized → clean/b's run started) is in the metrics.
    let metrics = '';
    for (let i = 0; i < 50 && !/weir_daemon_reaction_seconds_count 1\b/.test(metrics); i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      metrics = await (await fetch(new URL('/metrics', url))).text();
    }
    expect(metrics).toMatch(/weir_daemon_reaction_seconds_count 1\b/);
    dev.child.kill('SIGINT');
    expect([0, 130]).toContain(await dev.exited);
  });
});
