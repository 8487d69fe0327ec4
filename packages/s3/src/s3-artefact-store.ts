/**
 * @module @weir/s3/s3-artefact-store
 * Weir's content-addressed artefact store on an S3-compatible object store.
 *
 * Keys: `<prefix>objects/<first two hex digits>/<sha256>`, the same locations the local store
 * uses, so an event log's locations mean the same content in either. A directory is one tar
 * archive at the address of its manifest (see `_tree.ts`). Beside an object, two empty markers
 * may exist for a moment or longer: `<key>.stored` (content stored again: what keeps `gc` from
 * collecting it) and `<key>.collecting` (a `remove` in progress).
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  chmodSync,
  createReadStream,
  createWriteStream,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  utimesSync,
} from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  AbortMultipartUploadCommand,
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  type ListObjectsV2CommandOutput,
  PutObjectCommand,
  type S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
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
import { makeClient } from './_client.js';
import {
  isInvalidRange,
  isNoSuchBucket,
  isNotFound,
  s3Failure,
  statusOf,
  type Target,
} from './_errors.js';
import { bareEtag, EtagHash } from './_hashing.js';
import { ManifestHash, NotATree, packTree, readTree, type TreeEntry, walkTree } from './_tree.js';

const ADDRESS = /^objects\/([0-9a-f]{2})\/([0-9a-f]{64})$/;
const LISTED = /^objects\/([0-9a-f]{2})\/([0-9a-f]{64})(\.stored|\.collecting)?$/;
const MiB = 1024 * 1024;
const UNHASHED: ArtefactHealth = Object.freeze({ status: 'intact', hashed: false });
/** Object stores keep modification times in whole seconds: one may be up to this much later. */
const SECOND = 999;
/** A `remove` takes a few requests; a `.collecting` marker older than this is abandoned. */
const COLLECTING_STALE_MS = 60_000;

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

type Kind = 'blob' | 'file' | 'directory';

interface Head {
  size: number;
  etag: string | undefined;
  /** Epoch ms (whole seconds). */
  modifiedAt: number;
  kind: Kind | undefined;
}

/** What is about to be published: its address, ETags and a way to produce its bytes. */
interface Content {
  kind: Kind;
  hash: string;
  /**
   * The ETags S3 may report for these bytes: computed (another pass over them) only when an
   * object is found at the address, which is the rare case for new content.
   */
  etags: () => Promise<string[]>;
  /** Bytes in the bucket (a directory: its archive). */
  objectSize: number;
  /** The bytes, or a fresh stream of them (called once per upload). */
  body: Uint8Array | (() => Readable);
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
  private readonly partSize: number;
  private readonly queueSize: number;
  private readonly directPut: boolean;
  private readonly tmpDir: string;
  private readonly target: Target;
  private counter = 0;
  private bucketSeen = false;

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
    this.partSize = partSize;
    this.queueSize = options.queueSize ?? 4;
    this.directPut = options.directPut ?? false;
    this.ownsClient = options.client === undefined;
    this.client = options.client ?? makeClient(options.clientConfig);
    this.cacheDir = resolve(options.cacheDir);
    this.tmpDir = join(this.cacheDir, 'tmp', `${process.pid}-${randomBytes(4).toString('hex')}`);
    mkdirSync(join(this.cacheDir, 'objects'), { recursive: true });
    mkdirSync(join(this.cacheDir, 'tmp'), { recursive: true });
    removeDeadProcessTemps(join(this.cacheDir, 'tmp'));
    this.target = {
      bucket: this.bucket,
      endpoint: () => this.endpoint(),
      endpointUrl: () => this.endpointUrl(),
    };
  }

  /**
   * Checks that the bucket exists and these credentials may use it (one HEAD request), failing
   * with an `ArtefactError` that names the endpoint, the bucket and what to check.
   */
  async check(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
      this.bucketSeen = true;
    } catch (error) {
      throw await this.failure(bucketError(await this.saidWhy(error)), {
        write: false,
        what: 'the bucket',
        key: '',
      });
    }
  }

  async putBytes(bytes: Uint8Array, options: PutOptions = {}): Promise<StoredArtefact> {
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const size = bytes.byteLength;
    // The caller may reuse its buffer once this resolves; the upload is done by then.
    await this.store(
      { kind: 'blob', hash: sha256, etags: this.etagsOf(bytes), objectSize: size, body: bytes },
      whose(options),
    );
    return { location: locationOf(sha256), contentHash: sha256, size, type: 'blob' };
  }

  async putPath(path: string, options: PutOptions = {}): Promise<StoredArtefact> {
    const stat = lstatSync(path, { throwIfNoEntry: false });
    if (stat === undefined) throw new ArtefactError('missing', `nothing was written at ${path}`);
    const what = whose(options);
    let stored: StoredArtefact;
    if (stat.isDirectory()) stored = await this.putDirectory(path, what);
    else if (stat.isFile()) stored = await this.putFile(path, stat.size, what);
    else {
      throw new EnvironmentError(
        'E_ARTEFACT',
        `cannot store ${path}: only regular files and directories can be artefacts`,
      );
    }
    rmSync(path, { recursive: true, force: true });
    return stored;
  }

  private async putFile(path: string, size: number, what: string): Promise<StoredArtefact> {
    const sha = createHash('sha256');
    let read = 0;
    let body: Content['body'];
    if (size <= this.partSize) {
      const bytes = readFileSync(path);
      sha.update(bytes);
      read = bytes.byteLength;
      body = bytes;
    } else {
      for await (const chunk of createReadStream(path)) {
        sha.update(chunk as Buffer);
        read += (chunk as Buffer).byteLength;
      }
      body = () => createReadStream(path);
    }
    if (read !== size) throw changedWhileStored(path);
    const hash = sha.digest('hex');
    await this.store(
      { kind: 'file', hash, etags: this.etagsOf(body), objectSize: size, body },
      what,
    );
    return { location: locationOf(hash), contentHash: hash, size, type: 'file' };
  }

  private async putDirectory(path: string, what: string): Promise<StoredArtefact> {
    const entries = walkTree(path);
    const manifest = new ManifestHash();
    let archiveSize = 0;
    // A small archive is kept from this pass and uploaded as it is; a large one is packed again.
    let chunks: Buffer[] | undefined = [];
    for await (const chunk of packTree(entries, manifest)) {
      archiveSize += (chunk as Buffer).byteLength;
      if (chunks !== undefined && archiveSize <= this.partSize) chunks.push(chunk as Buffer);
      else chunks = undefined;
    }
    const hash = manifest.digest();
    const body =
      chunks === undefined ? () => this.repack(entries, hash, path) : Buffer.concat(chunks);
    await this.store(
      { kind: 'directory', hash, etags: this.etagsOf(body), objectSize: archiveSize, body },
      what,
    );
    return {
      location: locationOf(hash),
      contentHash: hash,
      size: manifest.size,
      type: 'directory',
    };
  }

  /** The ETags of a body, computed when asked (see `Content.etags`). */
  private etagsOf(body: Content['body']): () => Promise<string[]> {
    return async () => {
      const etag = new EtagHash(this.partSize);
      if (typeof body !== 'function') etag.update(body);
      else for await (const chunk of body()) etag.update(chunk as Buffer);
      return etag.digest();
    };
  }

  /** The archive of a large directory again, failing if the tree changed since it was hashed. */
  private repack(entries: readonly TreeEntry[], hash: string, path: string): Readable {
    const manifest = new ManifestHash();
    const archive = packTree(entries, manifest);
    return archive.pipe(
      new Transform({
        transform: (chunk, _encoding, done) => done(null, chunk),
        flush: (done) => done(manifest.digest() === hash ? null : changedWhileStored(path)),
      }),
    );
  }

  /**
   * Stores content at its address: uploads it when absent or different (a corrupt copy is
   * replaced by the upload, atomically); when the same content is there, marks it as stored
   * again. Either way, waits out a `remove` of the same object that may be under way.
   */
  private async store(content: Content, what: string): Promise<void> {
    const location = locationOf(content.hash);
    const key = this.key(location);
    const action = { write: true, what, key, location };
    try {
      const existing = await this.head(key);
      if (existing === undefined) {
        await this.publish(key, content);
        return;
      }
      if (await holds(existing, content)) await this.putMarker(`${key}.stored`);
      else await this.publish(key, content);
      await this.afterCollector(key, content);
    } catch (error) {
      throw await this.failure(error, action);
    }
  }

  /**
   * An object found at the address may be being removed (`gc`) right now. Its `remove` checks,
   * after announcing itself, whether the object was stored again (`.stored`, or a new upload);
   * a writer that came later waits for the announcement to go and stores the content again if
   * the object went with it. Together: a writer that returned never has its content removed.
   */
  private async afterCollector(key: string, content: Content): Promise<void> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const collecting = await this.head(`${key}.collecting`);
      const fresh =
        collecting !== undefined &&
        collecting.modifiedAt + SECOND > Date.now() - COLLECTING_STALE_MS;
      if (!fresh || Date.now() > deadline) break;
      await sleep(50);
    }
    if ((await this.head(key)) === undefined) await this.publish(key, content);
  }

  /**
   * Uploads content to `key` so that it appears there whole or not at all: a multipart upload
   * completes into the key (its parts are invisible until then, and aborted on failure); a
   * single part goes to a temporary key and is copied into place (unless `directPut`).
   */
  private async publish(key: string, content: Content): Promise<void> {
    const Metadata = { 'weir-type': content.kind };
    const { body } = content;
    if (content.objectSize > this.partSize || typeof body === 'function') {
      const upload = new Upload({
        client: this.client,
        params: {
          Bucket: this.bucket,
          Key: key,
          Body: typeof body === 'function' ? body() : body,
          Metadata,
        },
        partSize: this.partSize,
        queueSize: this.queueSize,
        // Aborted here, so a server that cannot abort does not hide why the upload failed.
        leavePartsOnError: true,
      });
      try {
        await upload.done();
      } catch (error) {
        if (upload.uploadId !== undefined) {
          await this.client
            .send(
              new AbortMultipartUploadCommand({
                Bucket: this.bucket,
                Key: key,
                UploadId: upload.uploadId,
              }),
            )
            .catch(() => {});
        }
        throw error;
      }
      return;
    }
    if (this.directPut) {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: body,
          ContentLength: body.byteLength,
          Metadata,
        }),
      );
      return;
    }
    const temporary = `${this.prefix}tmp/${Date.now()}-${process.pid}-${randomBytes(6).toString('hex')}`;
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: temporary,
        Body: body,
        ContentLength: body.byteLength,
        Metadata,
      }),
    );
    try {
      await this.client.send(
        new CopyObjectCommand({
          Bucket: this.bucket,
          Key: key,
          CopySource: `${this.bucket}/${encodeKey(temporary)}`,
          MetadataDirective: 'COPY',
        }),
      );
    } finally {
      // Left behind only if this fails too: `sweepTemporaries` removes it later.
      await this.client
        .send(new DeleteObjectCommand({ Bucket: this.bucket, Key: temporary }))
        .catch(() => {});
    }
  }

  async read(location: string): Promise<Uint8Array> {
    const object = await this.get(location);
    if (object.kind === 'directory') {
      object.body.destroy();
      throw isDirectory(location);
    }
    const sha = createHash('sha256');
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of object.body) {
        sha.update(chunk as Buffer);
        chunks.push(chunk as Buffer);
      }
    } catch (error) {
      throw await this.failure(error, {
        write: false,
        what: 'an artefact',
        key: this.key(location),
        location,
      });
    }
    const actual = sha.digest('hex');
    if (actual !== hashOf(location)) throw this.corrupt(location, actual);
    return Buffer.concat(chunks);
  }

  /**
   * The stored bytes of a blob or file as a stream, without holding them in memory. They are
   * hashed as they pass: if they do not match the address, the stream fails with an
   * `ArtefactError` ('corrupt') at its end, after the bytes went by, so a consumer must treat
   * what it read as unconfirmed until the stream ends without error.
   */
  async readStream(location: string): Promise<Readable> {
    const object = await this.get(location);
    if (object.kind === 'directory') {
      object.body.destroy();
      throw isDirectory(location);
    }
    const sha = createHash('sha256');
    const expected = hashOf(location);
    const check = new Transform({
      transform: (chunk: Buffer, _encoding, done) => {
        sha.update(chunk);
        done(null, chunk);
      },
      flush: (done) => {
        const actual = sha.digest('hex');
        done(actual === expected ? null : this.corrupt(location, actual));
      },
    });
    object.body.on('error', (error) => check.destroy(error));
    return object.body.pipe(check);
  }

  /**
   * Bytes `start` (inclusive) to `end` (exclusive) of a stored blob or file, as `slice` counts
   * them: past the end is cut short, an empty range is empty. Not checked against the address
   * (a part cannot be); `verify` or `read` checks the whole. For readers of a part of a large
   * artefact (a COG's tiles, a Parquet footer).
   */
  async readRange(location: string, start: number, end: number): Promise<Uint8Array> {
    if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start) {
      throw new RangeError(`readRange: need 0 ≤ start ≤ end (whole numbers), got ${start}, ${end}`);
    }
    if (start === end) {
      if (!(await this.exists(location))) throw this.missing(location);
      return new Uint8Array(0);
    }
    let object: Awaited<ReturnType<S3ArtefactStore['get']>>;
    try {
      object = await this.get(location, `bytes=${start}-${end - 1}`);
    } catch (error) {
      if (isInvalidRange((error as ArtefactError).cause)) return new Uint8Array(0);
      throw error;
    }
    if (object.kind === 'directory') {
      object.body.destroy();
      throw isDirectory(location);
    }
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of object.body) chunks.push(chunk as Buffer);
    } catch (error) {
      throw await this.failure(error, {
        write: false,
        what: 'an artefact',
        key: this.key(location),
        location,
      });
    }
    return Buffer.concat(chunks);
  }

  async localPath(location: string, options: { storedAt?: number } = {}): Promise<string> {
    const expected = hashOf(location);
    const cached = join(this.cacheDir, location);
    if (existsSync(cached)) {
      // Written over since it was downloaded (its times were set to the object's): hash it.
      const suspect =
        options.storedAt !== undefined && Math.floor(newestModification(cached)) > options.storedAt;
      if (!suspect || hashLocal(cached) === expected) return cached;
      removeTree(cached);
    }
    const object = await this.get(location);
    const temp = this.nextTemp('download');
    try {
      let actual: string;
      if (object.kind === 'directory') actual = await this.treeHash(object.body, location, temp);
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
      if (actual !== expected) throw this.corrupt(location, actual);
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
      throw await this.failure(error, {
        write: false,
        what: 'an artefact',
        key: this.key(location),
        location,
      });
    } finally {
      removeTree(temp);
    }
  }

  async exists(location: string): Promise<boolean> {
    const key = this.key(location);
    try {
      return (await this.head(key)) !== undefined;
    } catch (error) {
      throw await this.failure(error, { write: false, what: 'an artefact', key, location });
    }
  }

  async verify(
    location: string,
    options: { deep?: boolean; storedAt?: number } = {},
  ): Promise<ArtefactHealth> {
    const key = this.key(location);
    try {
      if (!options.deep) {
        const head = await this.head(key);
        if (head === undefined) return { status: 'missing' };
        // Written over after it was stored (S3 keeps whole seconds: an overwrite within the
        // second of the store is found by `deep` only).
        const suspect = options.storedAt !== undefined && head.modifiedAt > options.storedAt;
        if (!suspect) return UNHASHED;
      }
      const object = await this.get(location);
      const actual =
        object.kind === 'directory'
          ? await this.treeHash(object.body, location)
          : await sha256Of(object.body);
      return actual === hashOf(location)
        ? { status: 'intact', hashed: true }
        : { status: 'corrupt', actualHash: actual };
    } catch (error) {
      if (error instanceof ArtefactError && error.problem === 'missing')
        return { status: 'missing' };
      if (error instanceof ArtefactError && error.problem === 'corrupt') {
        return { status: 'corrupt', actualHash: (error as CorruptError).actualHash };
      }
      const failure = await this.failure(error, {
        write: false,
        what: 'an artefact',
        key,
        location,
      });
      return { status: 'unreadable', error: failure.message };
    }
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
   * either is seen by that check or sees the announcement and stores again after (see `store`).
   * Times are whole seconds: anything within the second of the cut-off is kept.
   */
  async remove(location: string, options: { unlessModifiedAfter: number }): Promise<boolean> {
    const key = this.key(location);
    const after = (head: Head | undefined) =>
      head !== undefined && head.modifiedAt + SECOND > options.unlessModifiedAfter;
    try {
      const object = await this.head(key);
      if (object === undefined || after(object) || after(await this.head(`${key}.stored`))) {
        return false;
      }
      await this.putMarker(`${key}.collecting`);
      try {
        const again = await this.head(key);
        if (again === undefined || after(again) || after(await this.head(`${key}.stored`))) {
          return false;
        }
        await this.delete(key);
        await this.delete(`${key}.stored`);
      } finally {
        await this.delete(`${key}.collecting`);
      }
    } catch (error) {
      throw await this.failure(error, { write: true, what: `artefact ${location}`, key, location });
    }
    removeTree(join(this.cacheDir, location));
    return true;
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
        await this.delete(item.Key);
        removed += 1;
      }
      token = page.NextContinuationToken;
    } while (token !== undefined);
    return removed;
  }

  // --- requests -------------------------------------------------------------------------------

  /** The object's size, ETag, time and kind, or undefined when it is not there. */
  private async head(key: string): Promise<Head | undefined> {
    try {
      const out = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      this.bucketSeen = true;
      return {
        size: out.ContentLength ?? 0,
        etag: bareEtag(out.ETag),
        modifiedAt: out.LastModified?.getTime() ?? 0,
        kind: kindOf(out.Metadata),
      };
    } catch (error) {
      if (!isNotFound(error)) throw error;
      await this.bucketExists();
      return undefined;
    }
  }

  /**
   * A HEAD's refusal (403) has no body, so it does not say whether the key is unknown or its
   * policy denies the request: ask the same of a listing (one key at most; HeadBucket needs
   * s3:ListBucket too), whose refusal names its error code. Other errors are as they were.
   */
  private async saidWhy(error: unknown): Promise<unknown> {
    if (statusOf(error) !== 403) return error;
    try {
      await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: this.prefix, MaxKeys: 1 }),
      );
      return error;
    } catch (listed) {
      return statusOf(listed) === 403 ? listed : error;
    }
  }

  /** A HEAD's 404 does not say whether the key or the bucket is missing: ask once. */
  private async bucketExists(): Promise<void> {
    if (this.bucketSeen) return;
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
      this.bucketSeen = true;
    } catch (error) {
      throw bucketError(error);
    }
  }

  private async get(
    location: string,
    range?: string,
  ): Promise<{ body: Readable; kind: Kind | undefined; modifiedAt: number }> {
    const key = this.key(location);
    try {
      const out = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: key, Range: range }),
      );
      this.bucketSeen = true;
      if (!(out.Body instanceof Readable)) throw new Error('the response has no readable body');
      return {
        body: out.Body,
        kind: kindOf(out.Metadata),
        modifiedAt: out.LastModified?.getTime() ?? Date.now(),
      };
    } catch (error) {
      if (isNotFound(error)) {
        try {
          await this.bucketExists();
        } catch (bucket) {
          throw await this.failure(bucket, { write: false, what: 'an artefact', key, location });
        }
        throw this.missing(location);
      }
      throw await this.failure(error, { write: false, what: 'an artefact', key, location });
    }
  }

  private async putMarker(key: string): Promise<void> {
    await this.client.send(
      new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: '', ContentLength: 0 }),
    );
  }

  private async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  // --- helpers --------------------------------------------------------------------------------

  /** The manifest hash of a tree archive (extracted into `into` when given). */
  private async treeHash(body: Readable, location: string, into?: string): Promise<string> {
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
      throw this.corrupt(location, raw.digest('hex'), error.message);
    }
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

  private async endpoint(): Promise<string> {
    try {
      const config = this.client.config as { endpoint?: unknown; region?: unknown };
      if (typeof config.endpoint === 'function') {
        const endpoint = (await config.endpoint()) as {
          hostname?: string;
          port?: number;
          protocol?: string;
        };
        if (endpoint.hostname !== undefined) {
          const port = endpoint.port ?? (endpoint.protocol === 'http:' ? 80 : 443);
          return `${endpoint.hostname}:${port}`;
        }
      }
      const region =
        typeof config.region === 'function' ? String(await config.region()) : 'us-east-1';
      return `s3.${region}.amazonaws.com:443`;
    } catch {
      return 'the configured S3 endpoint';
    }
  }

  /** The custom endpoint's URL (`http://minio.internal:9000`); undefined for AWS S3. */
  private async endpointUrl(): Promise<string | undefined> {
    try {
      const config = this.client.config as { endpoint?: unknown };
      if (typeof config.endpoint !== 'function') return undefined;
      const endpoint = (await config.endpoint()) as {
        hostname?: string;
        port?: number;
        protocol?: string;
        path?: string;
      };
      if (endpoint.hostname === undefined) return undefined;
      const port = endpoint.port === undefined ? '' : `:${endpoint.port}`;
      const path = endpoint.path === undefined || endpoint.path === '/' ? '' : endpoint.path;
      return `${endpoint.protocol ?? 'https:'}//${endpoint.hostname}${port}${path}`;
    } catch {
      return undefined;
    }
  }

  private failure(
    error: unknown,
    action: { write: boolean; what: string; key: string; location?: string },
  ): Promise<WeirError> {
    return s3Failure(error, this.target, action);
  }

  private missing(location: string): ArtefactError {
    return new ArtefactError(
      'missing',
      `artefact ${location} is missing from s3://${this.bucket}/${this.prefix}`,
      { location },
    );
  }

  private corrupt(location: string, actual: string, detail?: string): CorruptError {
    return new CorruptError(
      `artefact ${location} in s3://${this.bucket}/${this.prefix} is corrupt: its content hashes to ${actual.slice(0, 12)}…, not to its address${detail === undefined ? '' : ` (${detail})`}`,
      location,
      actual,
    );
  }
}

/** A corrupt artefact, with what its content hashes to (for `verify`). */
class CorruptError extends ArtefactError {
  readonly actualHash: string;

  constructor(message: string, location: string, actualHash: string) {
    super('corrupt', message, { location });
    this.actualHash = actualHash;
  }
}

function locationOf(hash: string): string {
  return `objects/${hash.slice(0, 2)}/${hash}`;
}

/** The hash a location names; anything else is not a location of this store. */
function hashOf(location: string): string {
  const match = ADDRESS.exec(location);
  if (match === null || match[1] !== match[2]!.slice(0, 2)) {
    throw new ArtefactError(
      'unreadable',
      `artefact location ${JSON.stringify(location)} is not one of this store's (objects/<2 hex>/<sha256>)`,
      { location },
    );
  }
  return match[2]!;
}

function kindOf(metadata: Record<string, string> | undefined): Kind | undefined {
  const kind = metadata?.['weir-type'];
  return kind === 'blob' || kind === 'file' || kind === 'directory' ? kind : undefined;
}

/** Whether the object found at an address holds this content (by size, kind and ETag). */
async function holds(head: Head, content: Content): Promise<boolean> {
  if (head.size !== content.objectSize || head.etag === undefined) return false;
  if ((head.kind === 'directory') !== (content.kind === 'directory')) return false;
  return (await content.etags()).includes(head.etag);
}

function whose(options: PutOptions): string {
  return options.label === undefined ? 'an artefact' : `${options.label}'s artefact`;
}

function encodeKey(key: string): string {
  return key.split('/').map(encodeURIComponent).join('/');
}

function isDirectory(location: string): ArtefactError {
  return new ArtefactError(
    'unreadable',
    `artefact ${location} is a directory: read it with localPath`,
    { location },
  );
}

function changedWhileStored(path: string): EnvironmentError {
  return new EnvironmentError('E_ARTEFACT', `${path} changed while it was being stored`, {
    hint: 'a step must finish writing its output before it returns',
  });
}

/** A HEAD-bucket failure: its 404 (no body, so no error code) means the bucket is missing. */
function bucketError(error: unknown): unknown {
  if (isNotFound(error) || isNoSuchBucket(error)) {
    return Object.assign(new Error('NoSuchBucket'), { name: 'NoSuchBucket', cause: error });
  }
  return error;
}

async function sha256Of(body: Readable): Promise<string> {
  const sha = createHash('sha256');
  for await (const chunk of body) sha.update(chunk as Buffer);
  return sha.digest('hex');
}

/**
 * A verified download made read-only, with the object's modification time on every entry, so
 * a later write in place shows as a time after the artefact's event (see `localPath`).
 */
function settle(path: string, modifiedAt: number): void {
  const time = new Date(modifiedAt);
  const stat = lstatSync(path);
  if (stat.isDirectory()) {
    for (const name of readdirSync(path)) settle(join(path, name), modifiedAt);
  } else chmodSync(path, 0o444);
  utimesSync(path, time, time);
}

function newestModification(path: string): number {
  const stat = lstatSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const name of readdirSync(path)) {
    newest = Math.max(newest, newestModification(join(path, name)));
  }
  return newest;
}

/** The address of a local file or tree (the cache's copy). */
function hashLocal(path: string): string {
  try {
    const stat = lstatSync(path);
    if (stat.isFile()) return createHash('sha256').update(readFileSync(path)).digest('hex');
    const manifest = new ManifestHash();
    for (const entry of walkTree(path)) {
      if (entry.type === 'directory') manifest.directory(entry.relative);
      else {
        const bytes = readFileSync(entry.full);
        manifest.file(
          entry.relative,
          bytes.byteLength,
          createHash('sha256').update(bytes).digest('hex'),
        );
      }
    }
    return manifest.digest();
  } catch {
    return '';
  }
}

function removeTree(path: string): void {
  rmSync(path, { recursive: true, force: true });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Temp folders of processes that died hold only unrecorded partial outputs. */
function removeDeadProcessTemps(tmpRoot: string): void {
  for (const name of readdirSync(tmpRoot)) {
    const pid = Number(name.split('-')[0]);
    if (!Number.isInteger(pid) || pid <= 0 || isAlive(pid)) continue;
    try {
      removeTree(join(tmpRoot, name));
    } catch {
      // Left for the next process: a leftover temp folder harms nothing.
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
