/**
 * Fault injection on an S3ArtefactStore's bucket and client: corrupt an object as another
 * writer of the bucket would, and make uploads fail partway.
 */
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { S3ArtefactStore } from '../src/index.js';

/**
 * Puts altered bytes at a stored artefact's key, keeping its metadata and size. A blob or file
 * gets one byte changed; a directory (a tar archive) one byte of the first file's data, so it
 * still parses and only its content is wrong.
 */
export async function corruptObject(store: S3ArtefactStore, location: string): Promise<void> {
  const key = `${store.prefix}${location}`;
  const got = await store.client.send(new GetObjectCommand({ Bucket: store.bucket, Key: key }));
  const bytes = Buffer.from(await got.Body!.transformToByteArray());
  const at = got.Metadata?.['weir-type'] === 'directory' ? firstFileData(bytes) : bytes.length >> 1;
  bytes[at] = (bytes[at] ?? 0) ^ 0x01;
  await store.client.send(
    new PutObjectCommand({ Bucket: store.bucket, Key: key, Body: bytes, Metadata: got.Metadata }),
  );
}

/** Offset of the first data byte of the first non-empty regular file in a tar archive. */
function firstFileData(tar: Buffer): number {
  let offset = 0;
  while (offset + 512 <= tar.length) {
    const size = Number.parseInt(tar.subarray(offset + 124, offset + 136).toString('latin1'), 8);
    const type = String.fromCharCode(tar[offset + 156] ?? 0);
    if ((type === '0' || type === '\0') && size > 0) return offset + 512;
    offset += 512 + Math.ceil((Number.isNaN(size) ? 0 : size) / 512) * 512;
  }
  throw new Error('no file data in the archive');
}

const FAULT = 'weirTestFault';

/**
 * Until the returned function is called, every part after the first of a multipart upload and
 * every copy into place fails as a dropped connection would: some bytes reach the server,
 * the upload does not finish.
 */
export function failWritesAfterFirstPart(store: S3ArtefactStore): () => Promise<void> {
  store.client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { PartNumber?: number };
      const failing =
        (context.commandName === 'UploadPartCommand' && (input.PartNumber ?? 1) > 1) ||
        context.commandName === 'CopyObjectCommand';
      if (failing) {
        throw Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
      }
      return next(args);
    },
    { step: 'initialize', name: FAULT },
  );
  return async () => {
    store.client.middlewareStack.remove(FAULT);
  };
}
