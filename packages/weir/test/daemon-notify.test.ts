/**
 * Sending notifications for real: a local HTTP server on 127.0.0.1, and Node itself as the
 * command, so bodies, headers, stdin, env, retries, timeouts and aborts are all observed.
 */
import { readFileSync } from 'node:fs';
import {
  createServer,
  type IncomingHttpHeaders,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { describeTarget, type NotificationEvent, sendNotification } from '../src/daemon/notify.js';
import { tempDir } from './helpers.js';

const event: NotificationEvent = {
  kind: 'failure',
  assetKey: 'gauges/peaks',
  partition: '2024-05-01',
  runId: 'run-1',
  message: 'gauges/peaks failed: division by zero',
  at: '2024-05-01T12:00:00.000Z',
  instance: '/srv/weir/.weir',
};

interface Received {
  method: string | undefined;
  headers: IncomingHttpHeaders;
  body: string;
}

const servers: Server[] = [];

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A server whose nth request (from 0) is answered by `answer(n, response)`; returns its URL. */
async function serve(answer: (n: number, response: ServerResponse) => void) {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      body += chunk;
    });
    request.on('end', () => {
      received.push({ method: request.method, headers: request.headers, body });
      answer(received.length - 1, response);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hooks/weir`, received };
}

function status(code: number) {
  return (_n: number, response: ServerResponse) => response.writeHead(code).end();
}

const fast = { retryDelayMs: 5 };

describe('sendNotification to a URL', () => {
  it('POSTs the event as JSON with the user’s headers', async () => {
    const { url, received } = await serve(status(204));
    const outcome = await sendNotification(
      { url: `${url}?channel=ops`, headers: { 'X-Weir-Token': 's3cret' } },
      event,
    );
    expect(outcome).toEqual({ ok: true, attempts: 1 });
    expect(received).toHaveLength(1);
    expect(received[0]!.method).toBe('POST');
    expect(received[0]!.headers['content-type']).toBe('application/json');
    expect(received[0]!.headers['x-weir-token']).toBe('s3cret');
    expect(JSON.parse(received[0]!.body)).toEqual(event);
  });

  it('lets the user’s headers replace the content type, whatever their case', async () => {
    const { url, received } = await serve(status(200));
    await sendNotification({ url, headers: { 'Content-Type': 'application/x-weir+json' } }, event);
    expect(received[0]!.headers['content-type']).toBe('application/x-weir+json');
  });

  it('sends a user name and password in the URL as Basic authorization', async () => {
    const { url, received } = await serve(status(200));
    const withCredentials = url.replace('http://', 'http://weir:p%40ss@');
    const outcome = await sendNotification({ url: withCredentials }, event);
    expect(outcome).toEqual({ ok: true, attempts: 1 });
    const expected = `Basic ${Buffer.from('weir:p@ss').toString('base64')}`;
    expect(received[0]!.headers.authorization).toBe(expected);
  });

  it('retries 503 and 429 with backoff until an answer is ok', async () => {
    const codes = [503, 429, 200];
    const { url, received } = await serve((n, response) => response.writeHead(codes[n]!).end());
    const outcome = await sendNotification({ url }, event, fast);
    expect(outcome).toEqual({ ok: true, attempts: 3 });
    expect(received).toHaveLength(3);
  });

  it('gives up after the last attempt, saying what the server answered', async () => {
    const { url, received } = await serve(status(503));
    const outcome = await sendNotification({ url: `${url}?token=x` }, event, fast);
    expect(outcome).toEqual({
      ok: false,
      attempts: 3,
      error: `POST ${url} answered 503 Service Unavailable after 3 attempts`,
    });
    expect(received).toHaveLength(3);
  });

  it('does not retry a 4xx other than 429', async () => {
    const { url, received } = await serve(status(400));
    const outcome = await sendNotification({ url }, event, fast);
    expect(outcome).toEqual({
      ok: false,
      attempts: 1,
      error: `POST ${url} answered 400 Bad Request`,
    });
    expect(received).toHaveLength(1);
  });

  it('does not follow redirects', async () => {
    const { url, received } = await serve((_n, response) =>
      response.writeHead(302, { location: '/elsewhere' }).end(),
    );
    const outcome = await sendNotification({ url }, event, fast);
    expect(outcome).toMatchObject({
      ok: false,
      attempts: 1,
      error: expect.stringMatching(/302 Found/),
    });
    expect(received).toHaveLength(1);
  });

  it('times out when the server never answers, and retries', async () => {
    const { url, received } = await serve(() => {});
    const outcome = await sendNotification({ url }, event, {
      ...fast,
      timeoutMs: 100,
      attempts: 2,
    });
    expect(outcome).toEqual({
      ok: false,
      attempts: 2,
      error: `POST ${url} timed out after 0.1 s (2 attempts)`,
    });
    expect(received).toHaveLength(2);
  });

  it('retries a refused connection and names the cause', async () => {
    const { url } = await serve(status(200));
    await new Promise<void>((resolve) => {
      servers[0]!.close(() => resolve());
    });
    servers.length = 0;
    const outcome = await sendNotification({ url }, event, fast);
    expect(outcome).toMatchObject({ ok: false, attempts: 3 });
    if (!outcome.ok)
      expect(outcome.error).toMatch(/^POST .* failed: .*ECONNREFUSED.* after 3 attempts$/);
  });

  it('stops at once when the signal aborts, during an attempt or between them', async () => {
    const silent = await serve(() => {});
    const during = sendNotification({ url: silent.url }, event, {
      timeoutMs: 5_000,
      signal: AbortSignal.timeout(50),
    });
    expect(await during).toEqual({
      ok: false,
      attempts: 1,
      error: `POST ${silent.url} was aborted`,
    });

    const failing = await serve(status(503));
    const between = await sendNotification({ url: failing.url }, event, {
      retryDelayMs: 5_000,
      signal: AbortSignal.timeout(50),
    });
    expect(between).toEqual({
      ok: false,
      attempts: 1,
      error: `POST ${failing.url} was aborted`,
    });
    expect(failing.received).toHaveLength(1);
  });

  it('sends only to http: and https: URLs', async () => {
    const outcome = await sendNotification({ url: 'file:///etc/passwd' }, event);
    expect(outcome).toEqual({
      ok: false,
      attempts: 0,
      error: 'POST file:///etc/passwd: only http: and https: URLs are sent to, not file:',
    });
  });

  it('never quotes a header value it refuses (it may be a token)', async () => {
    const { url, received } = await serve(status(200));
    const outcome = await sendNotification({ url, headers: { 'x-token': 'se\ncret' } }, event);
    expect(outcome).toEqual({
      ok: false,
      attempts: 0,
      error: `POST ${url}: header "x-token" has an invalid name or value`,
    });
    expect(received).toHaveLength(0);
  });
});

describe('sendNotification to a command', () => {
  /** A Node script as the command: `script` runs with `out` (a file in a temp folder) as argv[1]. */
  function node(script: string, out = join(tempDir(), 'out.json')) {
    return { command: [process.execPath, '-e', script, out], out };
  }

  it('passes the event as JSON on stdin and in WEIR_NOTIFICATION', async () => {
    const { command, out } = node(`
      const fs = require('node:fs');
      const stdin = fs.readFileSync(0, 'utf8');
      fs.writeFileSync(process.argv[1], JSON.stringify({ stdin, env: process.env.WEIR_NOTIFICATION }));
    `);
    const outcome = await sendNotification({ command }, event);
    expect(outcome).toEqual({ ok: true, attempts: 1 });
    const written = JSON.parse(readFileSync(out, 'utf8')) as { stdin: string; env: string };
    expect(JSON.parse(written.stdin)).toEqual(event);
    expect(JSON.parse(written.env)).toEqual(event);
  });

  it('reports a non-zero exit with the end of stderr, and does not retry', async () => {
    const { command, out } = node(`
      require('node:fs').appendFileSync(process.argv[1], 'ran\\n');
      process.stderr.write('x'.repeat(600) + 'no route to pager\\n');
      process.exit(2);
    `);
    const outcome = await sendNotification({ command }, event, { attempts: 3 });
    expect(outcome).toMatchObject({ ok: false, attempts: 1 });
    if (outcome.ok) return;
    expect(outcome.error).toMatch(/^command .+ exited 2: x+no route to pager$/);
    expect(outcome.error.length).toBeLessThan(
      `command ${process.execPath} exited 2: `.length + 501,
    );
    expect(readFileSync(out, 'utf8')).toBe('ran\n');
  });

  it('ignores a command that exits without reading stdin', async () => {
    const { command } = node('process.exit(0)');
    // More than a pipe's buffer (64 KiB), less than one environment variable's limit (128 KiB).
    const big = { ...event, message: 'm'.repeat(100_000) };
    expect(await sendNotification({ command }, big)).toEqual({ ok: true, attempts: 1 });
  });

  it('says when the event is too long to pass in the environment', async () => {
    // Past Linux's limit for one variable (128 KiB) and any system's for all of them.
    const { command } = node('process.exit(0)');
    const huge = { ...event, message: 'm'.repeat(3_000_000) };
    expect(await sendNotification({ command }, huge)).toEqual({
      ok: false,
      attempts: 1,
      error: `command ${process.execPath} could not run: the event is too long for WEIR_NOTIFICATION (E2BIG)`,
    });
  });

  it('says when the program does not exist', async () => {
    const outcome = await sendNotification({ command: ['weir-no-such-notifier', '--now'] }, event);
    expect(outcome).toEqual({
      ok: false,
      attempts: 1,
      error: 'command weir-no-such-notifier not found',
    });
  });

  it('kills a command that runs past the timeout', async () => {
    const { command } = node('setTimeout(() => {}, 60_000)');
    const started = Date.now();
    const outcome = await sendNotification({ command }, event, { timeoutMs: 200 });
    expect(outcome).toEqual({
      ok: false,
      attempts: 1,
      error: `command ${process.execPath} timed out after 0.2 s`,
    });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('kills a command when the signal aborts', async () => {
    const { command } = node('setTimeout(() => {}, 60_000)');
    const outcome = await sendNotification({ command }, event, {
      signal: AbortSignal.timeout(100),
    });
    expect(outcome).toEqual({
      ok: false,
      attempts: 1,
      error: `command ${process.execPath} was aborted`,
    });
  });
});

describe('describeTarget', () => {
  it('names a command by its program', () => {
    expect(describeTarget({ command: ['notify-send', '--urgency=critical', 'weir'] })).toBe(
      'notify-send',
    );
  });

  it('drops the query string and the user name and password of a URL', () => {
    expect(describeTarget({ url: 'https://user:secret@host/path?token=x' })).toBe(
      'https://host/path',
    );
    expect(describeTarget({ url: 'https://hooks.example.org:8443/weir#frag' })).toBe(
      'https://hooks.example.org:8443/weir',
    );
  });

  it('does not repeat a URL it cannot parse', () => {
    expect(describeTarget({ url: 'not a url ?token=x' })).toBe('(invalid URL)');
  });
});
