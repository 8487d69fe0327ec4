/**
 * The HTTP API against a real server on a real instance: every endpoint, bad input as 4xx
 * with a message, tokens and roles, the Host and Origin rules, path traversal, range
 * requests, live run streams, metrics and the OpenAPI document.
 */

import { beforeEach, describe, expect, it } from 'vitest';
import { asset, dailyPartitions, defineProject, materialize, sensor } from '../src/index.js';
import { startServer } from '../src/server/index.js';
import { tempInstance } from './helpers.js';
import { OPERATOR, type TestServer, testServer, VIEWER } from './support/test-server.js';

let version = 1;
let columns: Record<string, string> = { id: 'number' };

function project() {
  const raw = asset({
    key: 'raw/readings',
    group: 'raw',
    description: '<script>alert(1)</script> readings',
    owners: ['team:hydro'],
    kinds: ['table'],
    materialize: (ctx) => {
      const rows = Array.from({ length: version * 10 }, (_, i) => ({ id: i }));
      ctx.addMetadata({ rowCount: rows.length, schema: { columns } });
      return rows;
    },
  });
  const clean = asset({
    key: 'clean/readings',
    group: 'clean',
    ins: { raw },
    checks: [],
    materialize: (_ctx, { raw }) => raw.filter((r) => r.id % 2 === 0),
  });
  const daily = asset({
    key: 'clean/daily',
    group: 'clean',
    partitions: dailyPartitions({ start: '2026-01-01', end: '2026-01-11' }),
    materialize: (ctx) => {
      ctx.addMetadata({ dayOfMonth: Number(ctx.partition.key.slice(8)) });
      return { day: ctx.partition.key };
    },
  });
  const tick = sensor({ name: 'inbox', interval: '1m', poll: () => ({}) });
  return defineProject({ assets: [raw, clean, daily], sensors: [tick] });
}

type Harness = TestServer;

const harness = (options: { tokens?: boolean; host?: string } = {}): Promise<Harness> =>
  testServer(project(), options);

// biome-ignore lint/suspicious/noExplicitAny: response bodies are asserted field by field
const json = async (response: Response) => (await response.json()) as Record<string, any>;

async function untilRunEnds(h: Harness, runId: string) {
  for (let i = 0; i < 500; i++) {
    const body = await json(await h.call(`/api/runs/${runId}`));
    if (body.run.status !== 'running') return body;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`run ${runId} did not end`);
}

beforeEach(() => {
  version = 1;
  columns = { id: 'number' };
});

describe('graph', () => {
  it('lists every asset with its state and edges, and answers 304 to its ETag', async () => {
    const h = await harness();
    await materialize(project(), { instance: h.instance, selection: 'raw/readings' });
    const response = await h.call('/api/graph');
    expect(response.status).toBe(200);
    const graph = await json(response);
    const byKey = Object.fromEntries(graph.nodes.map((n: { key: string }) => [n.key, n]));
    expect(byKey['raw/readings'].status).toBe('fresh');
    expect(byKey['raw/readings'].materializedAt).toBeGreaterThan(0);
    expect(byKey['raw/readings'].group).toBe('raw');
    expect(byKey['clean/readings'].status).toBe('missing');
    expect(byKey['clean/daily'].partitions).toEqual({ fresh: 0, stale: 0, missing: 10, failed: 0 });
    const keys = graph.nodes.map((n: { key: string }) => n.key);
    expect(graph.edges).toEqual([[keys.indexOf('raw/readings'), keys.indexOf('clean/readings')]]);
    const again = await h.call('/api/graph', {
      headers: { 'If-None-Match': response.headers.get('ETag')! },
    });
    expect([200, 304]).toContain(again.status); // 200 only when a second boundary passed
  });

  it('shows a materialization done by another writer without a restart', async () => {
    const h = await harness();
    await h.call('/api/graph');
    await materialize(project(), { instance: h.instance, selection: '*' });
    for (let i = 0; i < 100; i++) {
      const graph = await json(await h.call('/api/graph'));
      if (graph.nodes.every((n: { status: string }) => n.status === 'fresh')) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error('the graph never showed every asset fresh');
  });
});

describe('layout and selections', () => {
  it('lays out every node once per graph version, and refuses a stale version', async () => {
    const h = await harness();
    const graph = await json(await h.call('/api/graph'));
    const response = await h.call(`/api/graph/layout?version=${graph.version}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('Cache-Control')).toMatch(/immutable/);
    const layout = await json(response);
    expect(layout.nodes).toHaveLength(graph.nodes.length);
    expect(layout.groups.map((g: { name: string }) => g.name).sort()).toEqual(['clean', 'raw']);
    const [from, to] = graph.edges[0];
    expect(layout.nodes[from][0]).toBeLessThan(layout.nodes[to][0]);
    const stale = await h.call('/api/graph/layout?version=0000');
    expect(stale.status).toBe(409);
    expect((await json(stale)).error.message).toMatch(/reload/);
  });

  it('names the assets a selection selects, and says why one does not parse', async () => {
    const h = await harness();
    expect(await json(await h.call('/api/select?q=raw%2Freadings%2B'))).toEqual({
      keys: ['raw/readings', 'clean/readings'],
    });
    const bad = await h.call('/api/select?q=group%3A(');
    expect(bad.status).toBe(400);
    expect((await json(bad)).error.code).toMatch(/^E_SELECTION/);
    expect((await h.call('/api/select')).status).toBe(400);
  });
});

describe('assets', () => {
  it('gives the definition, the state with its causes, and history with provenance', async () => {
    const h = await harness();
    await materialize(project(), { instance: h.instance, selection: 'raw/readings+' });
    version = 2;
    await materialize(project(), { instance: h.instance, selection: 'raw/readings', force: true });
    const asset = await json(await h.call('/api/assets/clean%2Freadings'));
    expect(asset.definition.upstream).toEqual(['raw/readings']);
    expect(asset.state.status).toBe('stale');
    expect(asset.state.causes[0].category).toBe('data');
    expect(asset.state.summary).toMatch(/raw\/readings/);
    const raw = await json(await h.call('/api/assets/raw%2Freadings'));
    expect(raw.definition.description).toBe('<script>alert(1)</script> readings');
    expect(raw.definition.owners).toEqual(['team:hydro']);
    const history = await json(await h.call('/api/assets/raw%2Freadings/materializations?limit=1'));
    expect(history.events).toHaveLength(1);
    expect(history.more).toBe(true);
    const older = await json(
      await h.call(`/api/assets/raw%2Freadings/materializations?before=${history.events[0].id}`),
    );
    expect(older.events).toHaveLength(1);
    expect(older.events[0].materialization.metadata.rowCount).toBe(10);
  });

  it('diffs two materializations: inputs moved, metadata deltas, schema columns', async () => {
    const h = await harness();
    await materialize(project(), { instance: h.instance, selection: '*' });
    version = 2;
    columns = { id: 'string', site: 'string' };
    await materialize(project(), { instance: h.instance, selection: '*', force: true });
    const raws = (await json(await h.call('/api/assets/raw%2Freadings/materializations'))).events;
    const diff = await json(
      await h.call(`/api/assets/raw%2Freadings/diff?from=${raws[1].id}&to=${raws[0].id}`),
    );
    expect(diff.dataVersion.changed).toBe(true);
    expect(diff.codeVersion.changed).toBe(false);
    expect(diff.metadata).toContainEqual({ name: 'rowCount', from: 10, to: 20, delta: 10 });
    expect(diff.schema.added).toEqual([{ column: 'site', type: 'string' }]);
    expect(diff.schema.retyped).toEqual([{ column: 'id', from: 'number', to: 'string' }]);
    const cleans = (await json(await h.call('/api/assets/clean%2Freadings/materializations')))
      .events;
    const moved = await json(
      await h.call(`/api/assets/clean%2Freadings/diff?from=${cleans[0].id}&to=${cleans[1].id}`),
    );
    expect(moved.inputs).toEqual([
      expect.objectContaining({
        key: 'raw/readings',
        change: 'moved',
        from: expect.objectContaining({ eventId: raws[1].id }),
        to: expect.objectContaining({ eventId: raws[0].id }),
      }),
    ]);
    const wrong = await h.call(
      `/api/assets/clean%2Freadings/diff?from=${raws[0].id}&to=${cleans[0].id}`,
    );
    expect(wrong.status).toBe(404);
    expect((await json(wrong)).error.message).toMatch(/not a materialization of 'clean\/readings'/);
  });

  it('plots numeric metadata and gives the partition map with keys on request', async () => {
    const h = await harness();
    await materialize(project(), { instance: h.instance, selection: 'raw/readings' });
    version = 3;
    await materialize(project(), { instance: h.instance, selection: 'raw/readings', force: true });
    const series = await json(await h.call('/api/assets/raw%2Freadings/series'));
    expect(series.series.rowCount).toEqual([10, 30]);
    expect(series.at).toHaveLength(2);
    await materialize(project(), {
      instance: h.instance,
      selection: 'clean/daily',
      partitions: { from: '2026-01-03', to: '2026-01-04' },
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const map = await json(await h.call('/api/assets/clean%2Fdaily/partitions?from=2&to=4'));
    expect(map.size).toBe(10);
    expect(map.letters).toBe('mmffmmmmmm');
    expect(map.keys).toEqual(['2026-01-03', '2026-01-04']);
    expect(map.first).toBe('2026-01-01');
    // Plotted by partition: each partition's current value at its window's start.
    const byWindow = await json(await h.call('/api/assets/clean%2Fdaily/series?by=partition'));
    expect(byWindow.at).toEqual([Date.UTC(2026, 0, 3), Date.UTC(2026, 0, 4)]);
    expect(byWindow.series.dayOfMonth).toEqual([3, 4]);
    const notWindows = await h.call('/api/assets/raw%2Freadings/series?by=partition');
    expect(notWindows.status).toBe(400);
    expect((await json(notWindows)).error.message).toMatch(/not partitioned by time windows/);
    const unpartitioned = await h.call('/api/assets/raw%2Freadings/partitions');
    expect(unpartitioned.status).toBe(404);
  });

  it('says which asset was meant for an unknown key', async () => {
    const h = await harness();
    const response = await h.call('/api/assets/raw%2Freading');
    expect(response.status).toBe(404);
    const body = await json(response);
    expect(body.error).toMatchObject({
      code: 'E_UNKNOWN_ASSET',
      hint: "did you mean 'raw/readings'?",
    });
  });
});

describe('artefacts', () => {
  it('serves the current artefact whole, by range, and as HEAD', async () => {
    const h = await harness();
    await materialize(project(), { instance: h.instance, selection: 'raw/readings' });
    const whole = await h.call('/api/assets/raw%2Freadings/artefact');
    expect(whole.status).toBe(200);
    const text = await whole.text();
    expect(JSON.parse(text)).toHaveLength(10);
    expect(whole.headers.get('Accept-Ranges')).toBe('bytes');
    const part = await h.call('/api/assets/raw%2Freadings/artefact', {
      headers: { Range: 'bytes=0-4' },
    });
    expect(part.status).toBe(206);
    expect(part.headers.get('Content-Range')).toBe(`bytes 0-4/${Buffer.byteLength(text)}`);
    expect(await part.text()).toBe(text.slice(0, 5));
    const tail = await h.call('/api/assets/raw%2Freadings/artefact', {
      headers: { Range: 'bytes=-3' },
    });
    expect(await tail.text()).toBe(text.slice(-3));
    const past = await h.call('/api/assets/raw%2Freadings/artefact', {
      headers: { Range: 'bytes=99999-' },
    });
    expect(past.status).toBe(416);
    const head = await h.call('/api/assets/raw%2Freadings/artefact', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('Content-Length')).toBe(String(Buffer.byteLength(text)));
  });

  it('refuses paths outside the artefact and names that are not materializations', async () => {
    const h = await harness();
    await materialize(project(), { instance: h.instance, selection: 'raw/readings' });
    const traversal = await h.call(
      '/api/assets/raw%2Freadings/artefact?file=..%2F..%2Fevents.sqlite',
    );
    expect(traversal.status).toBe(400);
    const otherEvent = await h.call('/api/assets/raw%2Freadings/artefact?event=1');
    expect(otherEvent.status).toBe(404);
    const statics = await h.call('/..%2F..%2F..%2Fetc%2Fpasswd');
    expect(await statics.text()).not.toMatch(/root:/);
  });
});

describe('runs', () => {
  it('launches a run, streams its events live, and shows its steps', async () => {
    const h = await harness();
    const launched = await h.call('/api/runs', {
      method: 'POST',
      body: JSON.stringify({ selection: 'raw/readings+' }),
    });
    expect(launched.status).toBe(201);
    const { runId } = await json(launched);
    const stream = await h.call(`/api/runs/${runId}/stream`);
    expect(stream.headers.get('Content-Type')).toMatch(/text\/event-stream/);
    const text = await stream.text(); // ends when the run has finished
    expect(text).toMatch(/event: weir/);
    expect(text).toMatch(/"type":"run:finished"/);
    expect(text).toMatch(/event: end/);
    const { run, steps } = await untilRunEnds(h, runId);
    expect(run.status).toBe('success');
    expect(run.trigger).toMatchObject({ kind: 'api', name: 'operator' });
    expect(
      steps.map((s: { assetKey: string; status: string }) => `${s.assetKey} ${s.status}`),
    ).toEqual(['raw/readings materialized', 'clean/readings materialized']);
    const list = await json(await h.call('/api/runs'));
    expect(list.runs[0].runId).toBe(runId);
    const again = await json(
      await h.call('/api/runs', {
        method: 'POST',
        body: JSON.stringify({ selection: 'raw/readings+' }),
      }),
    );
    expect(again).toMatchObject({ runId: null, status: 'nothing-to-do' });
    const events = await json(await h.call(`/api/runs/${runId}/events?limit=2`));
    expect(events.events).toHaveLength(2);
    expect(events.more).toBe(true);
  });

  it('answers bad launches with 400 and a message', async () => {
    const h = await harness();
    const cases: Array<[unknown, RegExp]> = [
      [{ selection: ' ' }, /selection/],
      [{ selection: 'raw/nothing' }, /raw\/nothing/],
      [{ selection: 'raw/readings', extra: 1 }, /extra|Unrecognized/i],
      [{ selection: 'raw/readings', force: 'yes' }, /force/],
      [{ selection: '(((' }, /./],
    ];
    for (const [body, message] of cases) {
      const response = await h.call('/api/runs', { method: 'POST', body: JSON.stringify(body) });
      expect(response.status, JSON.stringify(body)).toBeGreaterThanOrEqual(400);
      expect(response.status, JSON.stringify(body)).toBeLessThan(500);
      expect((await json(response)).error.message).toMatch(message);
    }
    const malformed = await h.call('/api/runs', { method: 'POST', body: '{not json' });
    expect(malformed.status).toBe(400);
    expect((await h.call('/api/runs/nope')).status).toBe(404);
    expect((await h.call('/api/runs?limit=0')).status).toBe(400);
    expect((await h.call('/api/nothing-here')).status).toBe(404);
  });
});

describe('automation', () => {
  it('lists sensors and pauses and resumes them', async () => {
    const h = await harness();
    const list = await json(await h.call('/api/automation'));
    expect(list.entries).toEqual([
      expect.objectContaining({ kind: 'sensor', name: 'inbox', paused: false }),
    ]);
    const paused = await h.call('/api/automation/inbox/pause', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
    });
    expect(await json(paused)).toEqual({ name: 'inbox', paused: true, changed: true });
    expect((await json(await h.call('/api/automation'))).entries[0].paused).toBe(true);
    const unknown = await h.call('/api/automation/inbx/resume', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
    });
    expect(unknown.status).toBe(404);
    expect((await json(unknown)).error.hint).toMatch(/inbox/);
    expect((await json(await h.call('/api/automation/inbox/ticks'))).events).toEqual([]);
  });
});

describe('security', () => {
  it('refuses to serve beyond loopback without a token', async () => {
    const instance = tempInstance();
    await expect(
      startServer({ project: project(), instance, host: '0.0.0.0', port: 0 }),
    ).rejects.toThrow(/without a token/);
  });

  it('needs a token on every call, and an operator token to launch', async () => {
    const h = await harness({ tokens: true });
    expect((await h.call('/api/graph')).status).toBe(401);
    expect((await h.call('/metrics')).status).toBe(401);
    expect((await h.call('/api/openapi.json')).status).toBe(401);
    expect((await h.call('/api/graph', { token: 'wrong-token-0123456789abcdef' })).status).toBe(
      401,
    );
    expect((await h.call('/api/graph', { token: VIEWER })).status).toBe(200);
    const body = JSON.stringify({ selection: 'raw/readings' });
    const asViewer = await h.call('/api/runs', { method: 'POST', body, token: VIEWER });
    expect(asViewer.status).toBe(403);
    expect((await json(asViewer)).error.message).toMatch(/operator/);
    const asOperator = await h.call('/api/runs', { method: 'POST', body, token: OPERATOR });
    expect(asOperator.status).toBe(201);
    await untilRunEnds(
      { ...h, call: (p, i) => h.call(p, { ...i, token: VIEWER }) },
      (await json(asOperator)).runId,
    );
  });

  it('refuses other Host names on an open local server, cross-site calls, and non-JSON writes', async () => {
    const h = await harness();
    const port = h.server.port;
    const rebinding = await rawRequest(port, 'GET', '/api/graph', { Host: `evil.example:${port}` });
    expect(rebinding.status).toBe(403);
    const local = await rawRequest(port, 'GET', '/api/health', { Host: `localhost:${port}` });
    expect(local.status).toBe(200);
    const form = await h.call('/api/runs', {
      method: 'POST',
      body: 'selection=raw/readings',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expect(form.status).toBe(415);
    const crossSite = await h.call('/api/runs', {
      method: 'POST',
      body: JSON.stringify({ selection: 'raw/readings' }),
      headers: { Origin: 'https://evil.example' },
    });
    expect(crossSite.status).toBe(403);
  });

  it('sends a content security policy with the UI', async () => {
    const h = await harness();
    const page = await h.call('/');
    expect(page.headers.get('Content-Security-Policy')).toMatch(/script-src 'self'/);
    expect(page.headers.get('X-Frame-Options')).toBe('DENY');
  });
});

describe('metrics and the OpenAPI document', () => {
  it('exposes Prometheus metrics', async () => {
    const h = await harness();
    const launched = await json(
      await h.call('/api/runs', { method: 'POST', body: JSON.stringify({ selection: '*' }) }),
    );
    await untilRunEnds(h, launched.runId);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const text = await (await h.call('/metrics')).text();
    expect(text).toMatch(/weir_assets\{status="fresh"\} 3/);
    expect(text).toMatch(/weir_runs_total\{status="success"\} 1/);
    expect(text).toMatch(/weir_steps_total\{outcome="materialized"\} 12/);
    expect(text).toMatch(/weir_step_duration_seconds_count 12/);
  });

  it('documents every endpoint', async () => {
    const h = await harness();
    const doc = await json(await h.call('/api/openapi.json'));
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/graph',
        '/api/assets/{key}',
        '/api/assets/{key}/diff',
        '/api/assets/{key}/artefact',
        '/api/runs',
        '/api/runs/{runId}/stream',
        '/api/automation',
      ]),
    );
  });
});

/** A request with headers fetch would not let us set (Host). */
async function rawRequest(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string>,
) {
  const { request } = await import('node:http');
  return new Promise<{ status: number }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
    });
    req.on('error', reject);
    req.end();
  });
}
