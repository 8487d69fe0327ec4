/**
 * @module @weir/s3/_bucket
 * The requests the store makes of its bucket, in S3's terms: HEAD (an object's size, ETag, time
 * and kind, or nothing), GET, empty marks, DELETE, and whether the bucket itself is there (a
 * HEAD's 404 does not say whether the key or the bucket is missing). Errors are S3's own; the
 * store restates them.
 */
import { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { bucketError } from './_artefact-errors.js';
import { isNotFound, statusOf } from './_errors.js';
import { bareEtag } from './_hashing.js';
import { type Kind, kindOf } from './_keys.js';

export interface Head {
  size: number;
  etag: string | undefined;
  /** Epoch ms (whole seconds). */
  modifiedAt: number;
  kind: Kind | undefined;
}

export interface GotObject {
  body: Readable;
  kind: Kind | undefined;
  modifiedAt: number;
}

export class Bucket {
  private seen = false;

  constructor(
    readonly client: S3Client,
    readonly name: string,
    readonly prefix: string,
  ) {}

  /** HEAD bucket: it exists and these credentials may list it. */
  async check(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.name }));
      this.seen = true;
    } catch (error) {
      throw bucketError(await this.saidWhy(error));
    }
  }

  /** The object's size, ETag, time and kind, or undefined when it is not there. */
  async head(key: string): Promise<Head | undefined> {
    try {
      const out = await this.client.send(new HeadObjectCommand({ Bucket: this.name, Key: key }));
      this.seen = true;
      return {
        size: out.ContentLength ?? 0,
        etag: bareEtag(out.ETag),
        modifiedAt: out.LastModified?.getTime() ?? 0,
        kind: kindOf(out.Metadata),
      };
    } catch (error) {
      if (!isNotFound(error)) throw error;
      await this.exists();
      return undefined;
    }
  }

  /** A HEAD's 404 does not say whether the key or the bucket is missing: ask once. */
  async exists(): Promise<void> {
    if (this.seen) return;
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.name }));
      this.seen = true;
    } catch (error) {
      throw bucketError(error);
    }
  }

  /** The object's body, kind and time; S3's NotFound when it is not there. */
  async get(key: string, range?: string): Promise<GotObject> {
    const out = await this.client.send(
      new GetObjectCommand({ Bucket: this.name, Key: key, Range: range }),
    );
    this.seen = true;
    if (!(out.Body instanceof Readable)) throw new Error('the response has no readable body');
    return {
      body: out.Body,
      kind: kindOf(out.Metadata),
      modifiedAt: out.LastModified?.getTime() ?? Date.now(),
    };
  }

  async putMarker(key: string): Promise<void> {
    await this.client.send(
      new PutObjectCommand({ Bucket: this.name, Key: key, Body: '', ContentLength: 0 }),
    );
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.name, Key: key }));
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
        new ListObjectsV2Command({ Bucket: this.name, Prefix: this.prefix, MaxKeys: 1 }),
      );
      return error;
    } catch (listed) {
      return statusOf(listed) === 403 ? listed : error;
    }
  }
}
