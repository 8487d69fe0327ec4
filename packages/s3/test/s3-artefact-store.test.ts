/**
 * What S3ArtefactStore does beyond the conformance suite, against a real S3-compatible server
 * (s3rver): the same addresses as the local store, keys under the prefix, multipart uploads and
 * recognising content already stored without downloading it, streaming and range reads, the
 * verified local cache, gc's removal interleaved with a writer step by step, and the errors an
 * unreachable endpoint, a missing bucket and refused credentials give.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArtefactError, backendProblemOf, LocalArtefactStore, WeirError } from 'weir';
import { S3ArtefactStore, type S3ArtefactStoreOptions } from '../src/index.js';
import { corruptObject, failWritesAfterFirstPart } from './_faults.js';
import { startS3rver, type TestServer, tempFolder } from './_server.js';

const MiB = 1024 * 1024;
let server: TestServer;
const cleanups: Array<() => void> = [];
const stores: S3ArtefactStore[] = [];

beforeAll(async () => {
  server = await startS3rver();
});

afterAll(async () => {
  for (const store of stores.splice(0)) await store.close();
  await server.stop();
  for (const cleanup of cleanups.splice(0)) cleanup();
});

async function open(options: Partial<S3ArtefactStoreOptions> = {}): Promise<S3ArtefactStore> {
  const store = await S3ArtefactStore.open({
    bucket: server.bucket,
    prefix: `t/${randomBytes(4).toString('hex')}/`,
    clientConfig: server.clientConfig,
    cacheDir: tempFolder(cleanups),
    partSize: 5 * MiB,
    ...options,
  });
  stores.push(store);
  return store;
}

/** Counts the commands the store's client sends, by name. */
function countCommands(store: S3ArtefactStore): Map<string, number> {
  const counts = new Map<string, number>();
  store.client.middlewareStack.add(
    (next, context) => async (args) => {
      const name = context.commandName ?? 'unknown';
      counts.set(name, (counts.get(name) ?? 0) + 1);
      return next(args);
    },
    { step: 'initialize', name: `count-${randomBytes(3).toString('hex')}` },
  );
  return counts;
}

async function keysOf(store: S3ArtefactStore): Promise<string[]> {
  const out = await store.client.send(
    new ListObjectsV2Command({ Bucket: store.bucket, Prefix: store.prefix }),
  );
  return (out.Contents ?? []).map((c) => c.Key!.slice(store.prefix.length)).sort();
}

async function rejection(promise: Promise<unknown>): Promise<ArtefactError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ArtefactError);
    return error as ArtefactError;
  }
  throw new Error('expected an ArtefactError');
}

function bytesOf(size: number, seed: number): Buffer {
  const out = Buffer.alloc(size);
  let x = seed;
  for (let i = 0; i < size; i += 4) {
    x = (x * 1103515245 + 12345) >>> 0;
    out.writeUInt32LE(x, Math.min(i, size - 4));
  }
  return out;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('S3ArtefactStore', () => {
  it('gives the same locations as the local store for the same blob, file and directory', async () => {
    const s3 = await open();
    const local = new LocalArtefactStore(join(tempFolder(cleanups), 'artefacts'));
    const write = async (store: S3ArtefactStore | LocalArtefactStore, kind: 'file' | 'dir') => {
      const out = await store.tempPath('x');
      if (kind === 'file') writeFileSync(out, 'weights');
      else {
        mkdirSync(join(out, 'b', 'c'), { recursive: true });
        writeFileSync(join(out, 'b', 'c', 'deep.txt'), 'deep');
        writeFileSync(join(out, 'Top.txt'), 'top');
        mkdirSync(join(out, 'empty'));
      }
      return store.putPath(out);
    };
    const bytes = new TextEncoder().encode('{"a":1}');
    expect(await s3.putBytes(bytes)).toEqual(await local.putBytes(bytes));
    expect(await write(s3, 'file')).toEqual(await write(local, 'file'));
    expect(await write(s3, 'dir')).toEqual(await write(local, 'dir'));
    await local.close();
  });

  it('keeps its keys under the prefix, with no temporary key left after a put', async () => {
    const store = await open({ prefix: 'team/prod' });
    expect(store.prefix).toBe('team/prod/');
    const { location } = await store.putBytes(new TextEncoder().encode('x'));
    const out = await store.client.send(
      new ListObjectsV2Command({ Bucket: store.bucket, Prefix: 'team/prod/' }),
    );
    expect((out.Contents ?? []).map((c) => c.Key)).toEqual([`team/prod/${location}`]);
  });

  it('publishes a single part through a temporary key and a copy, or straight with directPut', async () => {
    const store = await open();
    const counts = countCommands(store);
    await store.putBytes(new TextEncoder().encode('copied into place'));
    expect(Object.fromEntries(counts)).toEqual({
      HeadObjectCommand: 1,
      PutObjectCommand: 1,
      CopyObjectCommand: 1,
      DeleteObjectCommand: 1,
    });
    const direct = await open({ directPut: true });
    const directCounts = countCommands(direct);
    const { location } = await direct.putBytes(new TextEncoder().encode('straight'));
    expect(Object.fromEntries(directCounts)).toEqual({ HeadObjectCommand: 1, PutObjectCommand: 1 });
    expect(new TextDecoder().decode(await direct.read(location))).toBe('straight');
  });

  it('uploads a large file in parts, and recognises it when stored again without uploading it', async () => {
    const store = await open();
    const bytes = bytesOf(12 * MiB + 12345, 1);
    const counts = countCommands(store);
    const out = await store.tempPath('big');
    writeFileSync(out, bytes);
    const stored = await store.putPath(out);
    expect(stored.size).toBe(bytes.length);
    expect(counts.get('UploadPartCommand')).toBe(3);
    expect(counts.get('CompleteMultipartUploadCommand')).toBe(1);
    expect(Buffer.from(await store.read(stored.location)).equals(bytes)).toBe(true);

    counts.clear();
    const again = await store.tempPath('big');
    writeFileSync(again, bytes);
    expect((await store.putPath(again)).location).toBe(stored.location);
    expect(counts.get('UploadPartCommand')).toBeUndefined();
    // One empty PUT: the `.stored` mark that keeps gc from collecting it.
    expect(counts.get('PutObjectCommand')).toBe(1);
    expect(await keysOf(store)).toEqual([stored.location, `${stored.location}.stored`]);
    const listed = [];
    for await (const object of store.list()) listed.push(object);
    expect(listed.map((o) => o.location)).toEqual([stored.location]);
  });

  it('stores and hands back a directory larger than one part', async () => {
    const store = await open();
    const out = await store.tempPath('tiles');
    mkdirSync(join(out, 'z1'), { recursive: true });
    for (let i = 0; i < 4; i++)
      writeFileSync(join(out, 'z1', `${i}.bin`), bytesOf(2 * MiB, i + 10));
    const local = new LocalArtefactStore(join(tempFolder(cleanups), 'artefacts'));
    const copy = await local.tempPath('tiles');
    mkdirSync(join(copy, 'z1'), { recursive: true });
    for (let i = 0; i < 4; i++)
      writeFileSync(join(copy, 'z1', `${i}.bin`), bytesOf(2 * MiB, i + 10));
    const expected = await local.putPath(copy);
    await local.close();
    const counts = countCommands(store);
    const stored = await store.putPath(out);
    expect(stored).toEqual(expected);
    expect(counts.get('UploadPartCommand')).toBe(2);
    const path = await store.localPath(stored.location);
    expect(readFileSync(join(path, 'z1', '3.bin')).equals(bytesOf(2 * MiB, 13))).toBe(true);
    expect(await store.verify(stored.location, { deep: true })).toEqual({
      status: 'intact',
      hashed: true,
    });
  });

  it('a putPath whose multipart upload fails midway leaves nothing at the address, and the output in place', async () => {
    const store = await open();
    const bytes = bytesOf(11 * MiB, 3);
    const out = await store.tempPath('big');
    writeFileSync(out, bytes);
    const restore = failWritesAfterFirstPart(store);
    await expect(store.putPath(out)).rejects.toThrow(/ECONNRESET/);
    await restore();
    expect(existsSync(out)).toBe(true);
    expect(await keysOf(store)).toEqual([]);
    const stored = await store.putPath(out);
    expect(await keysOf(store)).toEqual([stored.location]);
  });

  it('streams a blob, failing at the end when the bytes do not match the address', async () => {
    const store = await open();
    const bytes = bytesOf(3 * MiB, 4);
    const { location } = await store.putBytes(bytes);
    const chunks: Buffer[] = [];
    for await (const chunk of await store.readStream(location)) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).equals(bytes)).toBe(true);
    await corruptObject(store, location);
    const stream = await store.readStream(location);
    let received = 0;
    const error = await rejection(
      (async () => {
        for await (const chunk of stream) received += (chunk as Buffer).length;
      })(),
    );
    expect(error.problem).toBe('corrupt');
    expect(received).toBe(bytes.length);
  });

  it('reads ranges as slice() counts them', async () => {
    const store = await open();
    const bytes = bytesOf(100_000, 5);
    const { location } = await store.putBytes(bytes);
    const range = async (start: number, end: number) =>
      Buffer.from(await store.readRange(location, start, end));
    expect((await range(1000, 1010)).equals(bytes.subarray(1000, 1010))).toBe(true);
    expect((await range(99_990, 200_000)).equals(bytes.subarray(99_990))).toBe(true);
    expect(await range(5, 5)).toHaveLength(0);
    expect(await range(100_000, 100_010)).toHaveLength(0);
    await expect(store.readRange(location, 10, 5)).rejects.toThrow(RangeError);
    await store.remove(location, { unlessModifiedAfter: Date.now() + 60_000 });
    expect((await rejection(store.readRange(location, 0, 10))).problem).toBe('missing');
  });

  it('localPath downloads once into the cache, and downloads again a cached copy written over', async () => {
    const store = await open();
    const out = await store.tempPath('model');
    writeFileSync(out, 'weights 0.125');
    const { location } = await store.putPath(out);
    const storedAt = Date.now();
    const counts = countCommands(store);
    const path = await store.localPath(location, { storedAt });
    expect(path.startsWith(store.cacheDir)).toBe(true);
    expect(await store.localPath(location, { storedAt })).toBe(path);
    expect(counts.get('GetObjectCommand')).toBe(1);
    chmodSync(path, 0o644);
    writeFileSync(path, 'weights 0.999');
    expect(readFileSync(await store.localPath(location, { storedAt }), 'utf8')).toBe(
      'weights 0.125',
    );
    expect(counts.get('GetObjectCommand')).toBe(2);
  });

  it('sweepTemporaries removes temporary keys older than asked', async () => {
    const store = await open();
    await store.client.send(
      new PutObjectCommand({
        Bucket: store.bucket,
        Key: `${store.prefix}tmp/left-behind`,
        Body: 'x',
      }),
    );
    expect(await store.sweepTemporaries(60_000)).toBe(0);
    await sleep(1_100);
    expect(await store.sweepTemporaries(0)).toBe(1);
    expect(await keysOf(store)).toEqual([]);
  });

  it('refuses a part size S3 would refuse', () => {
    expect(
      () =>
        new S3ArtefactStore({
          bucket: 'b',
          cacheDir: tempFolder(cleanups),
          partSize: MiB,
        }),
    ).toThrow(/partSize must be .* ≥ 5 MiB/);
  });
});

describe('S3ArtefactStore remove, interleaved with a writer of the same content', () => {
  /** Holds the store's `command` for `key` until `release` resolves (once). */
  function holdOnce(
    store: S3ArtefactStore,
    command: string,
    key: string,
    release: Promise<unknown>,
  ): Promise<void> {
    let reached!: () => void;
    const arrived = new Promise<void>((resolve) => {
      reached = resolve;
    });
    let held = false;
    store.client.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as { Key?: string };
        if (!held && context.commandName === command && input.Key === key) {
          held = true;
          reached();
          await release;
        }
        return next(args);
      },
      { step: 'initialize', name: `hold-${randomBytes(3).toString('hex')}` },
    );
    return arrived;
  }

  async function storedLongAgo(store: S3ArtefactStore, text: string) {
    const stored = await store.putBytes(new TextEncoder().encode(text));
    await sleep(1_100);
    return { ...stored, key: `${store.prefix}${stored.location}`, cutoff: Date.now() };
  }

  it('a writer that marks the object before the removal checks again keeps it', async () => {
    const remover = await open();
    const writer = await open({ prefix: remover.prefix });
    const { location, key, cutoff } = await storedLongAgo(remover, 'kept by the mark');
    let done!: () => void;
    const wrote = new Promise<void>((resolve) => {
      done = resolve;
    });
    const arrived = holdOnce(remover, 'PutObjectCommand', `${key}.collecting`, wrote);
    const removing = remover.remove(location, { unlessModifiedAfter: cutoff });
    await arrived;
    await writer.putBytes(new TextEncoder().encode('kept by the mark'));
    done();
    expect(await removing).toBe(false);
    expect(new TextDecoder().decode(await writer.read(location))).toBe('kept by the mark');
  });

  it('a writer that comes after the check waits for the removal, then stores the content again', async () => {
    const remover = await open();
    const writer = await open({ prefix: remover.prefix });
    const { location, key, cutoff } = await storedLongAgo(remover, 'stored again');
    let marked!: () => void;
    const writerMarked = new Promise<void>((resolve) => {
      marked = resolve;
    });
    writer.client.middlewareStack.add(
      (next, context) => async (args) => {
        const result = await next(args);
        if (
          context.commandName === 'PutObjectCommand' &&
          (args.input as { Key?: string }).Key === `${key}.stored`
        ) {
          marked();
        }
        return result;
      },
      { step: 'initialize', name: 'marked' },
    );
    // The removal has checked, and is about to delete the object, when the writer marks it.
    const arrived = holdOnce(remover, 'DeleteObjectCommand', key, writerMarked);
    const removing = remover.remove(location, { unlessModifiedAfter: cutoff });
    await arrived;
    const writing = writer.putBytes(new TextEncoder().encode('stored again'));
    expect(await removing).toBe(true);
    expect((await writing).location).toBe(location);
    expect(new TextDecoder().decode(await writer.read(location))).toBe('stored again');
  });
});

describe('S3ArtefactStore errors', () => {
  it('an endpoint that does not answer names host and port, and what to check', async () => {
    const port = await closedPort();
    const error = await rejection(
      S3ArtefactStore.open({
        bucket: 'weir',
        cacheDir: tempFolder(cleanups),
        clientConfig: {
          ...server.clientConfig,
          endpoint: `http://127.0.0.1:${port}`,
          maxAttempts: 1,
        },
      }),
    );
    expect(error.message).toContain(
      `cannot reach the S3 endpoint 127.0.0.1:${port} (ECONNREFUSED)`,
    );
    expect(error.hint).toContain('is running and reachable');
    expect(backendProblemOf(error)).toBe('unreachable');
    const store = new S3ArtefactStore({
      bucket: 'weir',
      cacheDir: tempFolder(cleanups),
      clientConfig: {
        ...server.clientConfig,
        endpoint: `http://127.0.0.1:${port}`,
        maxAttempts: 1,
      },
    });
    stores.push(store);
    const write = await rejection(
      store.putBytes(new TextEncoder().encode('x'), { label: 'gauges/readings' }),
    );
    expect(write.message).toContain("to write gauges/readings's artefact at s3://weir/objects/");
    const health = await store.verify(`objects/2d/${'2d'.padEnd(64, '0')}`);
    expect(health.status).toBe('unreadable');
  });

  it('a server that takes the request and never answers fails it within the request timeout', async () => {
    const { port, close } = await silentServer();
    try {
      const started = Date.now();
      const error = await rejection(
        S3ArtefactStore.open({
          bucket: 'weir',
          cacheDir: tempFolder(cleanups),
          clientConfig: { ...server.clientConfig, endpoint: `http://127.0.0.1:${port}` },
          idleTimeoutMs: 300,
        }),
      );
      // Three attempts of 300 ms each, and the SDK's back-off between them.
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(error.message).toContain(
        `cannot reach the S3 endpoint 127.0.0.1:${port} (it took the request, then sent nothing until the idle timeout)`,
      );
      expect(backendProblemOf(error)).toBe('unreachable');
    } finally {
      close();
    }
    expect(
      () =>
        new S3ArtefactStore({ bucket: 'weir', cacheDir: tempFolder(cleanups), idleTimeoutMs: 0 }),
    ).toThrow('idleTimeoutMs must be a whole number of milliseconds > 0, got 0');
  });

  it('a missing bucket says so, on open and on a read', async () => {
    const options = {
      bucket: 'no-such-bucket',
      cacheDir: tempFolder(cleanups),
      clientConfig: server.clientConfig,
    };
    const error = await rejection(S3ArtefactStore.open(options));
    expect(error.message).toContain(
      `the bucket no-such-bucket does not exist at 127.0.0.1:${server.port}`,
    );
    expect(error.hint).toContain('create the bucket');
    // A custom endpoint: the command that creates the bucket must go there, not to AWS.
    expect(error.hint).toContain(
      `aws s3 mb s3://no-such-bucket --endpoint-url http://127.0.0.1:${server.port}`,
    );
    expect(backendProblemOf(error)).toBe('missing');
    const store = new S3ArtefactStore(options);
    stores.push(store);
    const location = `objects/2d/${'2d'.padEnd(64, '0')}`;
    expect((await rejection(store.exists(location))).message).toContain('does not exist');
    expect((await rejection(store.read(location))).message).toContain('does not exist');
  });

  it('refused credentials: a write is read-only (E_READ_ONLY), a read unreadable, both saying what to check', async () => {
    const good = await open();
    const { location } = await good.putBytes(new TextEncoder().encode('secret'));
    const store = new S3ArtefactStore({
      bucket: server.bucket,
      prefix: good.prefix,
      cacheDir: tempFolder(cleanups),
      clientConfig: {
        ...server.clientConfig,
        credentials: { accessKeyId: 'WRONG', secretAccessKey: 'WRONG' },
      },
    });
    stores.push(store);
    const write = await rejection(store.putBytes(new TextEncoder().encode('x')));
    expect(write.code).toBe('E_READ_ONLY');
    expect(write.message).toMatch(
      /access denied writing an artefact at s3:\/\/weir-test\/.* \((HTTP 403|InvalidAccessKeyId)\)/,
    );
    expect(write.hint).toContain('s3:PutObject');
    const read = await rejection(store.read(location));
    expect(read.problem).toBe('unreadable');
    expect(read.hint).toContain('s3:GetObject');
    expect(read).toBeInstanceOf(WeirError);
    expect(backendProblemOf(read)).toBe('authentication');
  });

  it('credentials not found: names the bucket and endpoint, and the variables to set', async () => {
    const names = [
      'AWS_ACCESS_KEY_ID',
      'AWS_SECRET_ACCESS_KEY',
      'AWS_SESSION_TOKEN',
      'AWS_PROFILE',
      'AWS_SHARED_CREDENTIALS_FILE',
      'AWS_CONFIG_FILE',
      'AWS_EC2_METADATA_DISABLED',
      'AWS_CONTAINER_CREDENTIALS_FULL_URI',
      'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
      'AWS_WEB_IDENTITY_TOKEN_FILE',
    ];
    const saved = new Map(names.map((name) => [name, process.env[name]]));
    for (const name of names) delete process.env[name];
    const nowhere = tempFolder(cleanups);
    process.env.AWS_SHARED_CREDENTIALS_FILE = join(nowhere, 'credentials');
    process.env.AWS_CONFIG_FILE = join(nowhere, 'config');
    process.env.AWS_EC2_METADATA_DISABLED = 'true';
    try {
      const { credentials: _none, ...clientConfig } = server.clientConfig;
      const error = await rejection(
        S3ArtefactStore.open({
          bucket: server.bucket,
          cacheDir: tempFolder(cleanups),
          clientConfig: { ...clientConfig, maxAttempts: 1 },
        }),
      );
      expect(error.message).toBe(
        `no AWS credentials were found to read the bucket at s3://${server.bucket}/ (S3 endpoint 127.0.0.1:${server.port})`,
      );
      expect(error.hint).toContain('AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY');
      expect(error.hint).toContain('AWS_PROFILE');
      expect(backendProblemOf(error)).toBe('authentication');
    } finally {
      for (const [name, value] of saved) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });
});

/** A localhost port nothing listens on. */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** A server that accepts connections and reads what comes, never answering. */
async function silentServer(): Promise<{ port: number; close: () => void }> {
  const sockets = new Set<import('node:net').Socket>();
  const silent = createServer((socket) => {
    sockets.add(socket);
    socket.on('data', () => {});
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const address = silent.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    port: address.port,
    close: () => {
      for (const socket of sockets) socket.destroy();
      silent.close();
    },
  };
}
