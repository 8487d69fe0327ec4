/**
 * @module @weir/s3/_collect
 * gc's removal of an object, safe against a writer storing the same content at the same time.
 * S3 has no delete conditional on a modification time (`If-Match` compares ETags, equal for
 * equal content), so a removal announces itself (`<key>.collecting`), checks the object and its
 * `.stored` mark again, then deletes; a writer that found the object stored waits while a fresh
 * announcement is there and uploads again if the object went. Either the removal sees the
 * writer, or the writer sees the removal.
 */
import type { Bucket, Head } from './_bucket.js';

/** Object stores keep modification times in whole seconds: one may be up to this much later. */
const SECOND = 999;
/** A `remove` takes a few requests; a `.collecting` marker older than this is abandoned. */
const COLLECTING_STALE_MS = 60_000;

/**
 * Removes the object at `key` unless it (or its `.stored` mark) was modified after the cut-off;
 * true when it was removed. Times within a second of the cut-off count as after it.
 */
export async function removeUnlessStored(
  bucket: Bucket,
  key: string,
  unlessModifiedAfter: number,
): Promise<boolean> {
  const after = (head: Head | undefined) =>
    head !== undefined && head.modifiedAt + SECOND > unlessModifiedAfter;
  const object = await bucket.head(key);
  if (object === undefined || after(object) || after(await bucket.head(`${key}.stored`))) {
    return false;
  }
  await bucket.putMarker(`${key}.collecting`);
  try {
    const again = await bucket.head(key);
    if (again === undefined || after(again) || after(await bucket.head(`${key}.stored`))) {
      return false;
    }
    await bucket.delete(key);
    await bucket.delete(`${key}.stored`);
  } finally {
    await bucket.delete(`${key}.collecting`);
  }
  return true;
}

/**
 * For a writer that found its content already at `key`: that object may be being removed right
 * now. Waits while a fresh `.collecting` announcement is there (at most 30 s), then stores the
 * content again (`republish`) if the object went with it. Together with `removeUnlessStored`: a
 * writer that returned never has its content removed.
 */
export async function afterCollector(
  bucket: Bucket,
  key: string,
  republish: () => Promise<void>,
): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const collecting = await bucket.head(`${key}.collecting`);
    const fresh =
      collecting !== undefined && collecting.modifiedAt + SECOND > Date.now() - COLLECTING_STALE_MS;
    if (!fresh || Date.now() > deadline) break;
    await sleep(50);
  }
  if ((await bucket.head(key)) === undefined) await republish();
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
