/**
 * The server under abuse (findings of the adversarial review, each a regression test): a
 * viewer cannot make it read a body, bodies are capped, a stream asked from after its run's end
 * ends, a range on an empty artefact is refused properly, links out of the UI folder are not
 * followed, token files and variables that could never work are refused.
 */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { asset, defineProject, materialize } from '../src/index.js';
import { readTokens } from '../src/server/index.js';
import { tempDir } from './helpers.js';
import { OPERATOR, testServer, VIEWER } from './support/test-server.js';

const project = () =>
  defineProject({
    assets: [
      asset({ key: 'a', materialize: () => 1 }),
      asset({ key: 'empty', io: 'bytes', materialize: () => new Uint8Array(0) }),
      asset({
        key: 'slow',
        materialize: async () => {
          await new Promise((resolve) => setTimeout(resolve, 1_500));
          return 1;
        },
      }),
    ],
  });

const serve = (options: { tokens?: boolean; uiRoot?: string } = {}) =>
  testServer(project(), options);

describe('the server under abuse', () => {
  it('refuses a viewer before reading its body, and caps bodies at 8 MB', async () => {
    const { url } = await serve({ tokens: true });
    const asViewer = await fetch(url('/api/runs'), {
      method: 'POST',
      headers: { Authorization: `Bearer ${VIEWER}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ selection: '*', unknown: 1 }),
    });
    expect(asViewer.status).toBe(403);
    const huge = await fetch(url('/api/runs'), {
      method: 'POST',
      headers: { Authorization: `Bearer ${OPERATOR}`, 'Content-Type': 'application/json' },
      body: ' '.repeat(9_000_000),
    });
    expect(huge.status).toBe(413);
    expect(((await huge.json()) as { error: { message: string } }).error.message).toMatch(
      /at most 8 MB/,
    );
  });

  it('ends a stream asked from after its run’s end at once', async () => {
    const { instance, url } = await serve();
    const run = await materialize(project(), { instance, selection: 'a' });
    const last = await instance.eventLog.lastEventId();
    const started = Date.now();
    for (const query of [`after=${last}`, 'after=999999999']) {
      const text = await (await fetch(url(`/api/runs/${run.runId}/stream?${query}`))).text();
      expect(text).toMatch(/event: end/);
    }
    const resumed = await fetch(url(`/api/runs/${run.runId}/stream`), {
      headers: { 'Last-Event-ID': String(last) },
    });
    expect(await resumed.text()).toMatch(/event: end/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('does not wake a run’s stream for other runs’ events', async () => {
    const { instance, url } = await serve();
    const launched = await fetch(url('/api/runs'), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ selection: 'slow' }),
    });
    const { runId } = (await launched.json()) as { runId: string };
    const controller = new AbortController();
    const response = await fetch(url(`/api/runs/${runId}/stream`), { signal: controller.signal });
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    const reading = (async () => {
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          text += value;
        }
      } catch {
        // aborted
      }
    })();
    for (let i = 0; i < 5; i++)
      await materialize(project(), { instance, selection: 'a', force: true });
    await new Promise((resolve) => setTimeout(resolve, 300));
    controller.abort();
    await reading;
    expect(text).toMatch(/"type":"run:started"/);
    expect(text).not.toMatch(/event: ping/);
  });

  it('answers a range on an empty artefact with 416', async () => {
    const { instance, url } = await serve();
    await materialize(project(), { instance, selection: 'empty' });
    for (const range of ['bytes=-5', 'bytes=0-']) {
      const response = await fetch(url('/api/assets/empty/artefact'), {
        headers: { Range: range },
      });
      expect(response.status, range).toBe(416);
      expect(response.headers.get('Content-Range')).toBe('bytes */0');
    }
    expect((await fetch(url('/api/assets/empty/artefact'))).status).toBe(200);
  });

  it('does not follow links out of the UI folder', async () => {
    const dir = tempDir();
    const ui = join(dir, 'ui');
    mkdirSync(ui);
    writeFileSync(join(ui, 'index.html'), '<!doctype html><title>app</title>');
    writeFileSync(join(dir, 'secret.txt'), 'top secret');
    symlinkSync(join(dir, 'secret.txt'), join(ui, 'leak.txt'));
    const { url } = await serve({ uiRoot: ui });
    const text = await (await fetch(url('/leak.txt'))).text();
    expect(text).not.toMatch(/top secret/);
    expect(text).toMatch(/<title>app<\/title>/);
  });

  it('refuses tokens that could never be sent or that are given twice', () => {
    const dir = tempDir();
    const file = (text: string) => {
      const path = join(dir, `tokens-${Math.random()}`);
      writeFileSync(path, text);
      return path;
    };
    expect(
      readTokens({}, file('operator aaaaaaaaaaaaaaaaaaaa#bbbbbb # the ops team\n')).operator,
    ).toEqual(['aaaaaaaaaaaaaaaaaaaa#bbbbbb']);
    expect(() => readTokens({ WEIR_TOKEN: 'aaaaaaaa bbbbbbbbbbbb' })).toThrow(/visible ASCII/);
    expect(() => readTokens({ WEIR_TOKEN: 'aaaaaaaaaaaaaaaa\u0001' })).toThrow(/visible ASCII/);
    expect(() =>
      readTokens({
        WEIR_TOKEN: 'same-token-0123456789',
        WEIR_VIEWER_TOKEN: 'same-token-0123456789',
      }),
    ).toThrow(/given twice/);
    expect(readTokens({ WEIR_TOKEN: '  ' })).toEqual({ viewer: [], operator: [] });
  });

  it('serves on [::1] written as in a URL', async () => {
    const { server } = await testServer(project(), { host: '[::1]' });
    expect(server.url).toMatch(/^http:\/\/\[::1\]:\d+\/$/);
    expect((await fetch(new URL('/api/health', server.url))).status).toBe(200);
  });
});
