/**
 * s3-store: what S3ArtefactStore costs next to the AWS SDK used directly, on the same server and
 * the same bytes, measured in the same run.
 *
 * The server is s3rver (the tests' S3-compatible server) in a child process, on localhost, so
 * the server and the client each have a core. Two cases:
 * - small: 1,000 blobs of 1 KiB, one after another. Write: `store.putBytes` (HEAD for content
 *   already there, PUT to a temporary key, copy into place, DELETE of the temporary key), the
 *   same with `directPut` (HEAD, PUT), against one `PutObject` each. Read: `store.read` (GET,
 *   hashed against the address) against one `GetObject` each.
 * - large: one 64 MiB blob. Write: `store.putBytes` (HEAD, then a multipart upload of 16 MiB
 *   parts, 4 at a time, completed into the address) against one `PutObject` of the 64 MiB and
 *   against lib-storage's `Upload` with the store's part size and queue. Read: `store.read`,
 *   `store.localPath` (download into the cache, hashed, renamed into place) against one
 *   `GetObject` read into memory.
 * New content in every repeat (a put of stored content is a HEAD and an empty PUT, not a write).
 * Reports medians over repeats (variants interleaved, order alternating), as MB/s and as the
 * ratio of the store's throughput to the direct client's (1.00 = as fast, 0.50 = half as fast).
 *
 * Run: npm run bench -- s3-store [--repeats N]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateBucketCommand,
  GetObjectCommand,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { S3ArtefactStore } from '@weir/s3';
import { gc, median, option, table } from './_report.js';

const KiB = 1024;
const MiB = 1024 * KiB;
const BUCKET = 'bench';

/** Starts s3rver in a child process on a free port; resolves with its port. */
async function startServer(directory: string): Promise<{ child: ChildProcess; port: number }> {
  const script = `
    import S3rver from 's3rver';
    const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: ${JSON.stringify(directory)} });
    const { port } = await server.run();
    process.stdout.write(port + '\\n');
    process.on('SIGTERM', () => server.close().then(() => process.exit(0)));
  `;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    cwd: process.cwd(),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`s3rver exited (${code})`)));
    child.stdout!.once('data', (data: Buffer) => resolve(Number(data.toString().trim())));
  });
  return { child, port };
}

function bytesOf(size: number): Uint8Array {
  return randomBytes(size);
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  gc();
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

interface Variant {
  name: string;
  /** Prepares one repeat (new content), then returns what is timed. */
  prepare: (repeat: number) => Promise<() => Promise<unknown>>;
}

interface Case {
  name: string;
  bytes: number;
  /** The first is the baseline. */
  variants: Variant[];
}

async function main(): Promise<void> {
  const repeats = Number(option('repeats') ?? 5);
  const root = mkdtempSync(join(tmpdir(), 'weir-bench-s3-'));
  const { child, port } = await startServer(join(root, 'server'));
  const config: S3ClientConfig = {
    endpoint: `http://127.0.0.1:${port}`,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  };
  const client = new S3Client(config);
  const stores: S3ArtefactStore[] = [];
  try {
    await client.send(new CreateBucketCommand({ Bucket: BUCKET }));
    const open = async (prefix: string, directPut = false) => {
      const store = await S3ArtefactStore.open({
        bucket: BUCKET,
        prefix,
        client,
        cacheDir: join(root, `cache-${prefix}`),
        directPut,
      });
      stores.push(store);
      return store;
    };
    const store = await open('store');
    const direct = await open('direct-put', true);
    process.stdout.write(
      `s3-store: node ${process.version}, s3rver in a child process on 127.0.0.1:${port}, ${repeats} repeats (medians), part size 16 MiB, 4 parts at a time\n`,
    );

    const SMALL = 1000;
    const smallSets = new Map<string, Uint8Array[]>();
    const smallSet = (tag: string, repeat: number) => {
      const key = `${tag}-${repeat}`;
      let set = smallSets.get(key);
      if (set === undefined) {
        set = Array.from({ length: SMALL }, () => bytesOf(KiB));
        smallSets.set(key, set);
      }
      return set;
    };
    const stored = new Map<number, { locations: string[]; keys: string[] }>();
    const readSet = async (repeat: number) => {
      let set = stored.get(repeat);
      if (set === undefined) {
        const blobs = smallSet('read', repeat);
        const locations: string[] = [];
        const keys: string[] = [];
        for (const [i, blob] of blobs.entries()) {
          locations.push((await store.putBytes(blob)).location);
          const key = `raw/read-${repeat}-${i}`;
          await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: blob }));
          keys.push(key);
        }
        set = { locations, keys };
        stored.set(repeat, set);
      }
      return set;
    };

    const large = new Map<string, Uint8Array>();
    const largeBlob = (tag: string, repeat: number) => {
      const key = `${tag}-${repeat}`;
      let blob = large.get(key);
      if (blob === undefined) {
        blob = bytesOf(64 * MiB);
        large.set(key, blob);
      }
      return blob;
    };
    const largeStored = new Map<number, { location: string; key: string }>();
    const largeRead = async (repeat: number) => {
      let one = largeStored.get(repeat);
      if (one === undefined) {
        const blob = largeBlob('read', repeat);
        const { location } = await store.putBytes(blob);
        const key = `raw/large-read-${repeat}`;
        await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: blob }));
        one = { location, key };
        largeStored.set(repeat, one);
      }
      return one;
    };
    const getBytes = async (key: string) => {
      const out = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
      return out.Body!.transformToByteArray();
    };

    const cases: Case[] = [
      {
        name: 'small write (1,000 × 1 KiB)',
        bytes: SMALL * KiB,
        variants: [
          {
            name: 'PutObject',
            prepare: async (r) => {
              const blobs = smallSet('w-direct', r);
              return async () => {
                for (const [i, blob] of blobs.entries()) {
                  await client.send(
                    new PutObjectCommand({ Bucket: BUCKET, Key: `raw/w-${r}-${i}`, Body: blob }),
                  );
                }
              };
            },
          },
          {
            name: 'store.putBytes',
            prepare: async (r) => {
              const blobs = smallSet('w-store', r);
              return async () => {
                for (const blob of blobs) await store.putBytes(blob);
              };
            },
          },
          {
            name: 'store.putBytes, directPut',
            prepare: async (r) => {
              const blobs = smallSet('w-directput', r);
              return async () => {
                for (const blob of blobs) await direct.putBytes(blob);
              };
            },
          },
        ],
      },
      {
        name: 'small read (1,000 × 1 KiB)',
        bytes: SMALL * KiB,
        variants: [
          {
            name: 'GetObject',
            prepare: async (r) => {
              const { keys } = await readSet(r);
              return async () => {
                for (const key of keys) await getBytes(key);
              };
            },
          },
          {
            name: 'store.read (hashed)',
            prepare: async (r) => {
              const { locations } = await readSet(r);
              return async () => {
                for (const location of locations) await store.read(location);
              };
            },
          },
        ],
      },
      {
        name: 'large write (64 MiB)',
        bytes: 64 * MiB,
        variants: [
          {
            name: 'PutObject',
            prepare: async (r) => {
              const blob = largeBlob('w-direct', r);
              return () =>
                client.send(
                  new PutObjectCommand({ Bucket: BUCKET, Key: `raw/lw-${r}`, Body: blob }),
                );
            },
          },
          {
            name: 'lib-storage Upload',
            prepare: async (r) => {
              const blob = largeBlob('w-upload', r);
              return () =>
                new Upload({
                  client,
                  params: { Bucket: BUCKET, Key: `raw/lu-${r}`, Body: blob },
                  partSize: 16 * MiB,
                  queueSize: 4,
                }).done();
            },
          },
          {
            name: 'store.putBytes (multipart)',
            prepare: async (r) => {
              const blob = largeBlob('w-store', r);
              return () => store.putBytes(blob);
            },
          },
        ],
      },
      {
        name: 'large read (64 MiB)',
        bytes: 64 * MiB,
        variants: [
          {
            name: 'GetObject',
            prepare: async (r) => {
              const { key } = await largeRead(r);
              return () => getBytes(key);
            },
          },
          {
            name: 'store.read (hashed)',
            prepare: async (r) => {
              const { location } = await largeRead(r);
              return () => store.read(location);
            },
          },
          {
            name: 'store.localPath (to the cache)',
            prepare: async (r) => {
              const { location } = await largeRead(r);
              return () => store.localPath(location);
            },
          },
        ],
      },
    ];

    const samples = new Map<string, number[]>();
    // Repeat -1 warms up (connections, JIT) and is not counted.
    for (let r = -1; r < repeats; r++) {
      for (const c of cases) {
        const order = r % 2 === 0 ? c.variants : [...c.variants].reverse();
        for (const variant of order) {
          const fn = await variant.prepare(r);
          const ms = await time(fn);
          if (r < 0) continue;
          const key = `${c.name}\0${variant.name}`;
          samples.set(key, [...(samples.get(key) ?? []), ms]);
        }
        large.clear();
      }
    }

    const rows: string[][] = [];
    for (const c of cases) {
      const base = median(samples.get(`${c.name}\0${c.variants[0]!.name}`)!);
      for (const variant of c.variants) {
        const ms = median(samples.get(`${c.name}\0${variant.name}`)!);
        const mbps = c.bytes / MiB / (ms / 1000);
        rows.push([
          `${c.name}: ${variant.name}`,
          ms.toFixed(1),
          mbps.toFixed(2),
          (base / ms).toFixed(2),
        ]);
      }
    }
    process.stdout.write(
      `\n${table(['case: variant', 'ms', 'MiB/s', 'throughput vs first'], rows)}\n`,
    );
  } finally {
    for (const store of stores) await store.close();
    client.destroy();
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    rmSync(root, { recursive: true, force: true });
  }
}

await main();
