/**
 * @module @weir/s3/_artefact-errors
 * The store's own verdicts on an artefact, as Weir's errors: missing, corrupt (with what its
 * content hashes to, for `verify`), a directory read as bytes, a tree that changed while it was
 * stored; and a HEAD-bucket failure read as "no such bucket".
 */
import { ArtefactError, EnvironmentError } from 'weir';
import { isNoSuchBucket, isNotFound } from './_errors.js';

/** A corrupt artefact, with what its content hashes to (for `verify`). */
export class CorruptError extends ArtefactError {
  readonly actualHash: string;

  constructor(message: string, location: string, actualHash: string) {
    super('corrupt', message, { location });
    this.actualHash = actualHash;
  }
}

/** Where the store's artefacts are, for messages: `s3://bucket/prefix`. */
export function missingArtefact(where: string, location: string): ArtefactError {
  return new ArtefactError('missing', `artefact ${location} is missing from ${where}`, {
    location,
  });
}

export function corruptArtefact(
  where: string,
  location: string,
  actual: string,
  detail?: string,
): CorruptError {
  return new CorruptError(
    `artefact ${location} in ${where} is corrupt: its content hashes to ${actual.slice(0, 12)}…, not to its address${detail === undefined ? '' : ` (${detail})`}`,
    location,
    actual,
  );
}

export function isDirectory(location: string): ArtefactError {
  return new ArtefactError(
    'unreadable',
    `artefact ${location} is a directory: read it with localPath`,
    { location },
  );
}

export function changedWhileStored(path: string): EnvironmentError {
  return new EnvironmentError('E_ARTEFACT', `${path} changed while it was being stored`, {
    hint: 'a step must finish writing its output before it returns',
  });
}

/** A HEAD-bucket failure: its 404 (no body, so no error code) means the bucket is missing. */
export function bucketError(error: unknown): unknown {
  if (isNotFound(error) || isNoSuchBucket(error)) {
    return Object.assign(new Error('NoSuchBucket'), { name: 'NoSuchBucket', cause: error });
  }
  return error;
}
