/**
 * @module @weir/s3/s3-artefact-store
 * Weir's content-addressed artefact store on an S3-compatible object store.
 *
 * Keys: `<prefix>objects/<first two hex digits>/<sha256>`, the same locations the local store
 * uses, so an event log's locations mean the same content in either (`_keys.ts`). A directory is
 * one tar archive at the address of its manifest (`_tree.ts`). Beside an object, two empty
 * markers may exist for a moment or longer: `<key>.stored` (content stored again: what keeps
 * `gc` from collecting it) and `<key>.collecting` (a `remove` in progress; `_collect.ts`).
 * Writing is `_writes.ts` and `_publish.ts`, reading `_reads.ts`, the requests `_bucket.ts`.
 */
import { randomBytes } from 'node:crypto';
import { lstatSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import {
  ListObjectsV2Command,
  type ListObjectsV2CommandOutput,
  type S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import {
  ArtefactError,
  type ArtefactHealth,
  type ArtefactStore,
  EnvironmentError,
  type PutOptions,
  type StoredArtefact,
  type StoredObject,
  type WeirError,
} from 'weir';
import { Bucket } from './_bucket.js';
import { makeClient } from './_client.js';
import { removeUnlessStored } from './_collect.js';
import type { Action, StoreContext } from './_context.js';
import { endpointOf, endpointUrlOf } from './_endpoint.js';
import { s3Failure, type Target } from './_errors.js';
import { hashOf, LISTED } from './_keys.js';
import { removeDeadProcessTemps, removeTree } from './_local-files.js';
import * as reads from './_reads.js';
import { putBytes, putDirectory, putFile } from './_writes.js';

const MiB = 1024 * 1024;

export interface S3ArtefactStoreOptions {
  /** The bucket (it must exist: `S3ArtefactStore.open` checks). */
  bucket: string;
  /** Keys start with this (`weir/prod/`); a trailing `/` is added when missing. Default: none. */
  prefix?: string;
  /** A client of your own (closed by you); else one is made from `clientConfig`. */
  client?: S3Client;
  /**
   * Configuration of the client the store makes: `region`, `endpoint` and `forcePathStyle` for
   * S3-compatible servers, `credentials` (default: the AWS SDK's chain, environment first).
   */
  clientConfig?: S3ClientConfig;
  /**
   * A local folder the store owns: `tmp/` holds steps' outputs before they are stored
   * (`tempPath`), `objects/` verified downloads of artefacts steps read as files (`localPath`).
   */
  cacheDir: string;
  /**
   * A request whose connection carries nothing for this long fails (each attempt: the SDK
   * tries three times), so a server that hangs cannot hang the command. A stream from
   * `readStream` left unread this long fails too. Not used with a `client` of your own.
   * Default 30 000 ms.
   */
  idleTimeoutMs?: number;
  /** Artefacts larger than this are uploaded in parts of this size (min 5 MiB). Default 16 MiB. */
  partSize?: number;
  /** Parts uploaded at once. Default 4. */
  queueSize?: number;
  /**
   * Upload single-part artefacts straight to their address instead of to a temporary key then
   * copied into place. Only for servers whose PUT is atomic (AWS S3, MinIO): a server that
   * writes a PUT in place (s3rver) would show a failed upload's first bytes at the address.
   * Default false.
   */
  directPut?: boolean;
}

/**
 * An `ArtefactStore` on S3 (or any S3-compatible server). Reads are checked against the
 * content address like the local store's; `localPath` downloads into `cacheDir` and verifies
 * before handing a path out. Beyond the interface: `readStream` and `readRange`.
 */
export class S3ArtefactStore implements ArtefactStore {
  readonly bucket: string;
  readonly prefix: string;
  readonly cacheDir: string;
  readonly client: S3Client;
  private readonly ownsClient: boolean;
  private readonly tmpDir: string;
  private readonly context: StoreContext;
  private counter = 0;

  /** Opens a store after checking that its bucket can be reached; see `check`. */
  static async open(options: S3ArtefactStoreOptions): Promise<S3ArtefactStore> {
    const store = new S3ArtefactStore(options);
    try {
      await store.check();
    } catch (error) {
      await store.close();
      throw error;
    }
    return store;
  }

  constructor(options: S3ArtefactStoreOptions) {
    if (typeof options.bucket !== 'string' || options.bucket === '') {
      throw new EnvironmentError('E_USAGE', 'S3ArtefactStore: bucket must be a non-empty string');
    }
    const partSize = options.partSize ?? 16 * MiB;
    if (!Number.isInteger(partSize) || partSize < 5 * MiB) {
      throw new EnvironmentError(
        'E_USAGE',
        `S3ArtefactStore: partSize must be a whole number of bytes ≥ 5 MiB (S3's smallest part), got ${partSize}`,
      );
    }
    this.bucket = options.bucket;
    const prefix = (options.prefix ?? '').replace(/^\/+/, '');
    this.prefix = prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`;
    this.ownsClient = options.client === undefined;
    const idleTimeoutMs = options.idleTimeoutMs ?? 30_000;
    if (!Number.isInteger(idleTimeoutMs) || idleTimeoutMs <= 0) {
      throw new EnvironmentError(
        'E_USAGE',
        `S3ArtefactStore: idleTimeoutMs must be a whole number of milliseconds > 0, got ${idleTimeoutMs}`,
      );
    }
    this.client = options.client ?? makeClient(options.clientConfig, idleTimeoutMs);
    this.cacheDir = resolve(options.cacheDir);
    this.tmpDir = join(this.cacheDir, 'tmp', `${process.pid}-${randomBytes(4).toString('hex')}`);
    mkdirSync(join(this.cacheDir, 'objects'), { recursive: true });
    mkdirSync(join(this.cacheDir, 'tmp'), { recursive: true });
    removeDeadProcessTemps(join(this.cacheDir, 'tmp'));
    const target: Target = {
      bucket: this.bucket,
      endpoint: () => endpointOf(this.client),
      endpointUrl: () => endpointUrlOf(this.client),
    };
    this.context = {
      bucket: new Bucket(this.client, this.bucket, this.prefix),
      where: `s3://${this.bucket}/${this.prefix}`,
      cacheDir: this.cacheDir,
      publishing: {
        partSize,
        queueSize: options.queueSize ?? 4,
        directPut: options.directPut ?? false,
      },
      key: (location) => this.key(location),
      nextTemp: (label) => this.nextTemp(label),
      failure: (error, action) => s3Failure(error, target, action),
    };
  }

  /**
   * Checks that the bucket exists and these credentials may use it (one HEAD request), failing
   * with an `ArtefactError` that names the endpoint, the bucket and what to check.
   */
  async check(): Promise<void> {
    try {
      await this.context.bucket.check();
    } catch (error) {
      throw await this.failure(error, { write: false, what: 'the bucket', key: '' });
    }
  }

  putBytes(bytes: Uint8Array, options: PutOptions = {}): Promise<StoredArtefact> {
    return putBytes(this.context, bytes, whose(options));
  }

  async putPath(path: string, options: PutOptions = {}): Promise<StoredArtefact> {
    const stat = lstatSync(path, { throwIfNoEntry: false });
    if (stat === undefined) throw new ArtefactError('missing', `nothing was written at ${path}`);
    const what = whose(options);
    let stored: StoredArtefact;
    if (stat.isDirectory()) stored = await putDirectory(this.context, path, what);
    else if (stat.isFile()) stored = await putFile(this.context, path, stat.size, what);
    else {
      throw new EnvironmentError(
        'E_ARTEFACT',
        `cannot store ${path}: only regular files and directories can be artefacts`,
      );
    }
    rmSync(path, { recursive: true, force: true });
    return stored;
  }

  read(location: string): Promise<Uint8Array> {
    return reads.read(this.context, location);
  }

  /**
   * The stored bytes of a blob or file as a stream, without holding them in memory. They are
   * hashed as they pass: if they do not match the address, the stream fails with an
   * `ArtefactError` ('corrupt') at its end, after the bytes went by, so a consumer must treat
   * what it read as unconfirmed until the stream ends without error.
   */
  readStream(location: string): Promise<Readable> {
    return reads.readStream(this.context, location);
  }

  /**
   * Bytes `start` (inclusive) to `end` (exclusive) of a stored blob or file, as `slice` counts
   * them: past the end is cut short, an empty range is empty. Not checked against the address
   * (a part cannot be); `verify` or `read` checks the whole. For readers of a part of a large
   * artefact (a COG's tiles, a Parquet footer).
   */
  readRange(location: string, start: number, end: number): Promise<Uint8Array> {
    return reads.readRange(this.context, location, start, end);
  }

  localPath(location: string, options: { storedAt?: number } = {}): Promise<string> {
    return reads.localPath(this.context, location, options);
  }

  exists(location: string): Promise<boolean> {
    return reads.exists(this.context, location);
  }

  verify(
    location: string,
    options: { deep?: boolean; storedAt?: number } = {},
  ): Promise<ArtefactHealth> {
    return reads.verify(this.context, location, options);
  }

  /** The cheap `verify` of many artefacts, 16 HEAD requests at a time. */
  async verifyMany(
    items: ReadonlyArray<{ location: string; storedAt?: number }>,
  ): Promise<ArtefactHealth[]> {
    const results: ArtefactHealth[] = new Array(items.length);
    let next = 0;
    const worker = async () => {
      while (next < items.length) {
        const i = next++;
        const item = items[i]!;
        results[i] = await this.verify(
          item.location,
          item.storedAt === undefined ? {} : { storedAt: item.storedAt },
        );
      }
    };
    await Promise.all(Array.from({ length: Math.min(16, items.length) }, worker));
    return results;
  }

  /**
   * Every stored artefact. `size` is the object's in the bucket (a directory: its archive);
   * `modifiedAt` the later of its upload and its last `.stored` mark.
   */
  async *list(): AsyncIterable<StoredObject> {
    let token: string | undefined;
    let pending: StoredObject | undefined;
    do {
      let page: ListObjectsV2CommandOutput;
      try {
        page = await this.client.send(
          new ListObjectsV2Command({
            Bucket: this.bucket,
            Prefix: `${this.prefix}objects/`,
            ContinuationToken: token,
          }),
        );
      } catch (error) {
        throw await this.failure(error, {
          write: false,
          what: 'the list of artefacts',
          key: `${this.prefix}objects/`,
        });
      }
      for (const item of page.Contents ?? []) {
        const relative = (item.Key ?? '').slice(this.prefix.length);
        const match = LISTED.exec(relative);
        if (match === null || match[1] !== match[2]!.slice(0, 2)) continue;
        const modifiedAt = item.LastModified?.getTime() ?? 0;
        const location = `objects/${match[1]}/${match[2]}`;
        if (match[3] === undefined) {
          if (pending !== undefined) yield pending;
          pending = { location, size: item.Size ?? 0, modifiedAt };
        } else if (match[3] === '.stored' && pending?.location === location) {
          pending.modifiedAt = Math.max(pending.modifiedAt, modifiedAt);
        }
      }
      token = page.NextContinuationToken;
    } while (token !== undefined);
    if (pending !== undefined) yield pending;
  }

  /**
   * Removes an artefact unless it (or its `.stored` mark) was modified after the cut-off. S3 has
   * no conditional delete on modification time, so the removal announces itself first
   * (`.collecting`), checks again, and deletes; a writer storing the same content meanwhile
   * either is seen by that check or sees the announcement and stores again after (`_collect.ts`).
   * Times are whole seconds: anything within the second of the cut-off is kept.
   */
  async remove(location: string, options: { unlessModifiedAfter: number }): Promise<boolean> {
    const key = this.key(location);
    let removed: boolean;
    try {
      removed = await removeUnlessStored(this.context.bucket, key, options.unlessModifiedAfter);
    } catch (error) {
      throw await this.failure(error, { write: true, what: `artefact ${location}`, key, location });
    }
    if (removed) removeTree(join(this.cacheDir, location));
    return removed;
  }

  async tempPath(label: string): Promise<string> {
    return this.nextTemp(label.replace(/[^A-Za-z0-9_.-]+/g, '_'));
  }

  async discard(path: string): Promise<void> {
    if (!resolve(path).startsWith(this.tmpDir + sep)) return;
    removeTree(path);
  }

  async close(): Promise<void> {
    removeTree(this.tmpDir);
    if (this.ownsClient) this.client.destroy();
  }

  /**
   * Deletes temporary upload keys (`<prefix>tmp/`) older than `olderThanMs` (default a day): what
   * a process killed between uploading and copying into place left behind. Returns how many.
   * Incomplete multipart uploads are the bucket's lifecycle rule's job (see the README).
   */
  async sweepTemporaries(olderThanMs = 24 * 60 * 60 * 1000): Promise<number> {
    const cutoff = Date.now() - olderThanMs;
    let removed = 0;
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: `${this.prefix}tmp/`,
          ContinuationToken: token,
        }),
      );
      for (const item of page.Contents ?? []) {
        if (item.Key === undefined || (item.LastModified?.getTime() ?? 0) > cutoff) continue;
        await this.context.bucket.delete(item.Key);
        removed += 1;
      }
      token = page.NextContinuationToken;
    } while (token !== undefined);
    return removed;
  }

  private key(location: string): string {
    hashOf(location);
    return `${this.prefix}${location}`;
  }

  private nextTemp(label: string): string {
    if (this.counter === 0) mkdirSync(this.tmpDir, { recursive: true });
    this.counter += 1;
    return join(this.tmpDir, `${this.counter}-${label}`);
  }

  private failure(error: unknown, action: Action): Promise<WeirError> {
    return this.context.failure(error, action);
  }
}

function whose(options: PutOptions): string {
  return options.label === undefined ? 'an artefact' : `${options.label}'s artefact`;
}
