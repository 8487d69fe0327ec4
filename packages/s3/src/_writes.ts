/**
 * @module @weir/s3/_writes
 * Storing an artefact: bytes, a file or a directory (one tar archive) hashed for its address,
 * then uploaded when the address does not already hold the same content, or marked as stored
 * again when it does (see `_collect.ts` for why the mark matters to gc).
 */
import { createHash } from 'node:crypto';
import { createReadStream, readFileSync } from 'node:fs';
import { type Readable, Transform } from 'node:stream';
import type { StoredArtefact } from 'weir';
import { changedWhileStored } from './_artefact-errors.js';
import { afterCollector } from './_collect.js';
import type { StoreContext } from './_context.js';
import { locationOf } from './_keys.js';
import { type Content, etagsOf, holds, publish } from './_publish.js';
import { ManifestHash, packTree, type TreeEntry, walkTree } from './_tree.js';

export async function putBytes(
  store: StoreContext,
  bytes: Uint8Array,
  what: string,
): Promise<StoredArtefact> {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const size = bytes.byteLength;
  const etags = etagsOf(bytes, store.publishing.partSize);
  // The caller may reuse its buffer once this resolves; the upload is done by then.
  await storeContent(
    store,
    { kind: 'blob', hash: sha256, etags, objectSize: size, body: bytes },
    what,
  );
  return { location: locationOf(sha256), contentHash: sha256, size, type: 'blob' };
}

export async function putFile(
  store: StoreContext,
  path: string,
  size: number,
  what: string,
): Promise<StoredArtefact> {
  const sha = createHash('sha256');
  let read = 0;
  let body: Content['body'];
  if (size <= store.publishing.partSize) {
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
  const etags = etagsOf(body, store.publishing.partSize);
  await storeContent(store, { kind: 'file', hash, etags, objectSize: size, body }, what);
  return { location: locationOf(hash), contentHash: hash, size, type: 'file' };
}

export async function putDirectory(
  store: StoreContext,
  path: string,
  what: string,
): Promise<StoredArtefact> {
  const entries = walkTree(path);
  const manifest = new ManifestHash();
  let archiveSize = 0;
  // A small archive is kept from this pass and uploaded as it is; a large one is packed again.
  let chunks: Buffer[] | undefined = [];
  for await (const chunk of packTree(entries, manifest)) {
    archiveSize += (chunk as Buffer).byteLength;
    if (chunks !== undefined && archiveSize <= store.publishing.partSize)
      chunks.push(chunk as Buffer);
    else chunks = undefined;
  }
  const hash = manifest.digest();
  const body = chunks === undefined ? () => repack(entries, hash, path) : Buffer.concat(chunks);
  const etags = etagsOf(body, store.publishing.partSize);
  await storeContent(
    store,
    { kind: 'directory', hash, etags, objectSize: archiveSize, body },
    what,
  );
  return { location: locationOf(hash), contentHash: hash, size: manifest.size, type: 'directory' };
}

/** The archive of a large directory again, failing if the tree changed since it was hashed. */
function repack(entries: readonly TreeEntry[], hash: string, path: string): Readable {
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
async function storeContent(store: StoreContext, content: Content, what: string): Promise<void> {
  const location = locationOf(content.hash);
  const key = store.key(location);
  const { bucket, publishing } = store;
  const upload = () => publish(bucket, key, content, publishing);
  try {
    const existing = await bucket.head(key);
    if (existing === undefined) {
      await upload();
      return;
    }
    if (await holds(existing, content)) await bucket.putMarker(`${key}.stored`);
    else await upload();
    await afterCollector(bucket, key, upload);
  } catch (error) {
    throw await store.failure(error, { write: true, what, key, location });
  }
}
