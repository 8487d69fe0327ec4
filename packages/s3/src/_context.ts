/**
 * @module @weir/s3/_context
 * What the store's reads and writes share: its bucket, its local folder, how it uploads, and how
 * it names keys and restates S3's errors.
 */
import type { WeirError } from 'weir';
import type { Bucket } from './_bucket.js';
import type { PublishOptions } from './_publish.js';

/** What was being done, for an error's message: see `s3Failure`. */
export interface Action {
  write: boolean;
  what: string;
  key: string;
  location?: string;
}

export interface StoreContext {
  bucket: Bucket;
  /** `s3://bucket/prefix`, for messages. */
  where: string;
  cacheDir: string;
  publishing: PublishOptions;
  /** The key of a location (checking it is one of this store's). */
  key(location: string): string;
  /** A fresh path in this process's temporary folder. */
  nextTemp(label: string): string;
  /** An S3 failure as Weir's error, naming what was being done. */
  failure(error: unknown, action: Action): Promise<WeirError>;
}
