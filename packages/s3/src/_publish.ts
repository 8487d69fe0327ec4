/**
 * @module @weir/s3/_publish
 * Putting content at its address so that it appears there whole or not at all, and telling
 * whether an object already at the address holds the same content (by size, kind and ETag).
 */
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CopyObjectCommand,
  DeleteObjectCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { Bucket, Head } from './_bucket.js';
import { EtagHash } from './_hashing.js';
import { encodeKey, type Kind } from './_keys.js';

/** What is about to be published: its address, ETags and a way to produce its bytes. */
export interface Content {
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

export interface PublishOptions {
  partSize: number;
  queueSize: number;
  directPut: boolean;
}

/** The ETags of a body for this part size, computed when asked (see `Content.etags`). */
export function etagsOf(body: Content['body'], partSize: number): () => Promise<string[]> {
  return async () => {
    const etag = new EtagHash(partSize);
    if (typeof body !== 'function') etag.update(body);
    else for await (const chunk of body()) etag.update(chunk as Buffer);
    return etag.digest();
  };
}

/** Whether the object found at an address holds this content (by size, kind and ETag). */
export async function holds(head: Head, content: Content): Promise<boolean> {
  if (head.size !== content.objectSize || head.etag === undefined) return false;
  if ((head.kind === 'directory') !== (content.kind === 'directory')) return false;
  return (await content.etags()).includes(head.etag);
}

/**
 * Uploads content to `key` so that it appears there whole or not at all: a multipart upload
 * completes into the key (its parts are invisible until then, and aborted on failure); a
 * single part goes to a temporary key and is copied into place (unless `directPut`).
 */
export async function publish(
  bucket: Bucket,
  key: string,
  content: Content,
  options: PublishOptions,
): Promise<void> {
  const { client, name: Bucket } = bucket;
  const Metadata = { 'weir-type': content.kind };
  const { body } = content;
  if (content.objectSize > options.partSize || typeof body === 'function') {
    const upload = new Upload({
      client,
      params: { Bucket, Key: key, Body: typeof body === 'function' ? body() : body, Metadata },
      partSize: options.partSize,
      queueSize: options.queueSize,
      // Aborted here, so a server that cannot abort does not hide why the upload failed.
      leavePartsOnError: true,
    });
    try {
      await upload.done();
    } catch (error) {
      if (upload.uploadId !== undefined) {
        await client
          .send(new AbortMultipartUploadCommand({ Bucket, Key: key, UploadId: upload.uploadId }))
          .catch(() => {});
      }
      throw error;
    }
    return;
  }
  if (options.directPut) {
    await client.send(
      new PutObjectCommand({
        Bucket,
        Key: key,
        Body: body,
        ContentLength: body.byteLength,
        Metadata,
      }),
    );
    return;
  }
  const temporary = `${bucket.prefix}tmp/${Date.now()}-${process.pid}-${randomBytes(6).toString('hex')}`;
  await client.send(
    new PutObjectCommand({
      Bucket,
      Key: temporary,
      Body: body,
      ContentLength: body.byteLength,
      Metadata,
    }),
  );
  try {
    await client.send(
      new CopyObjectCommand({
        Bucket,
        Key: key,
        CopySource: `${Bucket}/${encodeKey(temporary)}`,
        MetadataDirective: 'COPY',
      }),
    );
  } finally {
    // Left behind only if this fails too: `sweepTemporaries` removes it later.
    await client.send(new DeleteObjectCommand({ Bucket, Key: temporary })).catch(() => {});
  }
}
