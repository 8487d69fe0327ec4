/**
 * @module @weir/s3/_reads
 * Reading an artefact, never trusting what is at its address: bytes and streams hashed as they
 * come, ranges as they are, verified downloads into the local cache for readers of files, and
 * `verify`'s cheap (HEAD) and deep (hash) checks.
 */
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ArtefactError, type ArtefactHealth } from 'weir';
import {
  type CorruptError,
  corruptArtefact,
  isDirectory,
  missingArtefact,
} from './_artefact-errors.js';
import type { GotObject } from './_bucket.js';
import type { StoreContext } from './_context.js';
import { isInvalidRange, isNotFound } from './_errors.js';
import { hashOf } from './_keys.js';
import { hashLocal, newestModification, removeTree, settle } from './_local-files.js';
import { NotATree, readTree } from './_tree.js';

const UNHASHED: ArtefactHealth = Object.freeze({ status: 'intact', hashed: false });

const reading = (store: StoreContext, location: string) => ({
  write: false,
  what: 'an artefact',
  key: store.key(location),
  location,
});

/** The object at a location; `missing` when it is not there (and the bucket is). */
async function get(store: StoreContext, location: string, range?: string): Promise<GotObject> {
  const key = store.key(location);
  try {
    return await store.bucket.get(key, range);
  } catch (error) {
    if (isNotFound(error)) {
      try {
        await store.bucket.exists();
      } catch (bucket) {
        throw await store.failure(bucket, reading(store, location));
      }
      throw missingArtefact(store.where, location);
    }
    throw await store.failure(error, reading(store, location));
  }
}

/** A blob's or file's object; a directory's is refused (read it with localPath). */
async function getBytes(store: StoreContext, location: string, range?: string): Promise<Readable> {
  const object = await get(store, location, range);
  if (object.kind === 'directory') {
    object.body.destroy();
    throw isDirectory(location);
  }
  return object.body;
}

export async function read(store: StoreContext, location: string): Promise<Uint8Array> {
  const body = await getBytes(store, location);
  const sha = createHash('sha256');
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of body) {
      sha.update(chunk as Buffer);
      chunks.push(chunk as Buffer);
    }
  } catch (error) {
    throw await store.failure(error, reading(store, location));
  }
  const actual = sha.digest('hex');
  if (actual !== hashOf(location)) throw corruptArtefact(store.where, location, actual);
  return Buffer.concat(chunks);
}

/** See `S3ArtefactStore.readStream`: hashed as it passes, failing at its end on a mismatch. */
export async function readStream(store: StoreContext, location: string): Promise<Readable> {
  const body = await getBytes(store, location);
  const sha = createHash('sha256');
  const expected = hashOf(location);
  const check = new Transform({
    transform: (chunk: Buffer, _encoding, done) => {
      sha.update(chunk);
      done(null, chunk);
    },
    flush: (done) => {
      const actual = sha.digest('hex');
      done(actual === expected ? null : corruptArtefact(store.where, location, actual));
    },
  });
  body.on('error', (error) => check.destroy(error));
  return body.pipe(check);
}

/** See `S3ArtefactStore.readRange`: bytes [start, end) as `slice` counts them, unchecked. */
export async function readRange(
  store: StoreContext,
  location: string,
  start: number,
  end: number,
): Promise<Uint8Array> {
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start) {
    throw new RangeError(`readRange: need 0 ≤ start ≤ end (whole numbers), got ${start}, ${end}`);
  }
  if (start === end) {
    if (!(await exists(store, location))) throw missingArtefact(store.where, location);
    return new Uint8Array(0);
  }
  let body: Readable;
  try {
    body = await getBytes(store, location, `bytes=${start}-${end - 1}`);
  } catch (error) {
    if (isInvalidRange((error as ArtefactError).cause)) return new Uint8Array(0);
    throw error;
  }
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of body) chunks.push(chunk as Buffer);
  } catch (error) {
    throw await store.failure(error, reading(store, location));
  }
  return Buffer.concat(chunks);
}

/** See `S3ArtefactStore.localPath`: a verified, read-only copy in the cache. */
export async function localPath(
  store: StoreContext,
  location: string,
  options: { storedAt?: number },
): Promise<string> {
  const expected = hashOf(location);
  const cached = join(store.cacheDir, location);
  if (existsSync(cached)) {
    // Written over since it was downloaded (its times were set to the object's): hash it.
    const suspect =
      options.storedAt !== undefined && Math.floor(newestModification(cached)) > options.storedAt;
    if (!suspect || hashLocal(cached) === expected) return cached;
    removeTree(cached);
  }
  const object = await get(store, location);
  const temp = store.nextTemp('download');
  try {
    let actual: string;
    if (object.kind === 'directory') actual = await treeHash(store, object.body, location, temp);
    else {
      const sha = createHash('sha256');
      await pipeline(
        object.body,
        new Transform({
          transform: (chunk: Buffer, _encoding, done) => {
            sha.update(chunk);
            done(null, chunk);
          },
        }),
        createWriteStream(temp),
      );
      actual = sha.digest('hex');
    }
    if (actual !== expected) throw corruptArtefact(store.where, location, actual);
    settle(temp, object.modifiedAt);
    mkdirSync(dirname(cached), { recursive: true });
    try {
      renameSync(temp, cached);
    } catch (error) {
      // Another process cached the same directory meanwhile: theirs is as good as ours.
      if (!existsSync(cached)) throw error;
    }
    return cached;
  } catch (error) {
    throw await store.failure(error, reading(store, location));
  } finally {
    removeTree(temp);
  }
}

export async function exists(store: StoreContext, location: string): Promise<boolean> {
  const key = store.key(location);
  try {
    return (await store.bucket.head(key)) !== undefined;
  } catch (error) {
    throw await store.failure(error, reading(store, location));
  }
}

/** See `ArtefactStore.verify`: a HEAD, hashing only what it questions (or all, `deep`). */
export async function verify(
  store: StoreContext,
  location: string,
  options: { deep?: boolean; storedAt?: number },
): Promise<ArtefactHealth> {
  const key = store.key(location);
  try {
    if (!options.deep) {
      const head = await store.bucket.head(key);
      if (head === undefined) return { status: 'missing' };
      // Written over after it was stored (S3 keeps whole seconds: an overwrite within the
      // second of the store is found by `deep` only).
      const suspect = options.storedAt !== undefined && head.modifiedAt > options.storedAt;
      if (!suspect) return UNHASHED;
    }
    const object = await get(store, location);
    const actual =
      object.kind === 'directory'
        ? await treeHash(store, object.body, location)
        : await sha256Of(object.body);
    return actual === hashOf(location)
      ? { status: 'intact', hashed: true }
      : { status: 'corrupt', actualHash: actual };
  } catch (error) {
    if (error instanceof ArtefactError && error.problem === 'missing') return { status: 'missing' };
    if (error instanceof ArtefactError && error.problem === 'corrupt') {
      return { status: 'corrupt', actualHash: (error as CorruptError).actualHash };
    }
    const failure = await store.failure(error, reading(store, location));
    return { status: 'unreadable', error: failure.message };
  }
}

/** The manifest hash of a tree archive (extracted into `into` when given). */
async function treeHash(
  store: StoreContext,
  body: Readable,
  location: string,
  into?: string,
): Promise<string> {
  const raw = createHash('sha256');
  const tapped = (async function* () {
    for await (const chunk of body) {
      raw.update(chunk as Buffer);
      yield chunk as Buffer;
    }
  })();
  try {
    return (await readTree(tapped, into)).hash;
  } catch (error) {
    if (!(error instanceof NotATree)) throw error;
    body.destroy();
    // Not an archive this store wrote: its address names something else.
    throw corruptArtefact(store.where, location, raw.digest('hex'), error.message);
  }
}

async function sha256Of(body: Readable): Promise<string> {
  const sha = createHash('sha256');
  for await (const chunk of body) sha.update(chunk as Buffer);
  return sha.digest('hex');
}
