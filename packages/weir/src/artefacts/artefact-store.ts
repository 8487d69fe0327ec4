/**
 * @module artefacts/artefact-store
 * Where materialized bytes live. Stores are content-addressed and immutable: an artefact
 * is written under a temporary name and renamed into place, so a crash never leaves a
 * half-written artefact behind a valid event. A location names its content (its hash), so a
 * store can check what it holds against it, and never trusts an existing file blindly.
 */
import { EnvironmentError, type WeirErrorCode } from '../errors.js';

export interface StoredArtefact {
  /** Store-relative location. */
  location: string;
  /** SHA-256 of the bytes; for a directory, of its manifest (paths, sizes, file hashes). */
  contentHash: string;
  size: number;
  type: 'blob' | 'file' | 'directory';
}

/** What a check of a stored artefact against its content address found. */
export type ArtefactHealth =
  /** `hashed`: the content was hashed; false when cheaper evidence (see `verify`) sufficed. */
  | { status: 'intact'; hashed: boolean }
  | { status: 'missing' }
  /** The content hashes to `actualHash`, not to its address. */
  | { status: 'corrupt'; actualHash: string }
  | { status: 'unreadable'; error: string };

/** A stored artefact as `list()` reports it. */
export interface StoredObject {
  location: string;
  /** Bytes (a directory: the sum of its files). */
  size: number;
  /** When it was last written or re-stored (epoch ms). */
  modifiedAt: number;
}

export interface PutOptions {
  /** Whose artefact this is (`gauges/readings[2024-01-05]`), for error messages. */
  label?: string;
}

export interface ArtefactStore {
  /**
   * Stores bytes; storing the same bytes twice stores them once. Content already at the
   * address is checked: when it differs (a corrupt copy) it is replaced atomically; when it
   * is the same, it is marked as just stored (its modified time moves to now, which keeps
   * `remove` from collecting it while its event is being recorded).
   */
  putBytes(bytes: Uint8Array, options?: PutOptions): Promise<StoredArtefact>;
  /** Moves the file or directory at `path` (from `tempPath`) into the store, as `putBytes` does. */
  putPath(path: string, options?: PutOptions): Promise<StoredArtefact>;
  /**
   * The stored bytes, checked against their content address: a mismatch throws an
   * `ArtefactError` (`corrupt`), never returns the bytes.
   */
  read(location: string): Promise<Uint8Array>;
  /**
   * An absolute local path to the stored file or directory, for readers of `files` artefacts.
   * It must exist; with `storedAt` (when its event recorded it), content modified after that
   * time is hashed before the path is handed out (see `verify`).
   */
  localPath(location: string, options?: { storedAt?: number }): Promise<string>;
  exists(location: string): Promise<boolean>;
  /**
   * Checks an artefact against its content address. `deep` hashes the content. Otherwise the
   * store may use cheaper evidence: present, and (given `storedAt`) not modified since, hashing
   * only what that evidence questions (an artefact written over after it was stored).
   */
  verify(
    location: string,
    options?: { deep?: boolean; storedAt?: number },
  ): Promise<ArtefactHealth>;
  /**
   * Optional: the cheap `verify` (no `deep`) of many artefacts at once, results in order, for a
   * store that can do it faster than one call each (the local store: a `stat` each, in one go).
   */
  verifyMany?(
    items: ReadonlyArray<{ location: string; storedAt?: number }>,
  ): Promise<ArtefactHealth[]>;
  /** Every stored artefact, in no particular order (for `weir gc`). */
  list(): AsyncIterable<StoredObject>;
  /**
   * Removes an artefact unless it was modified after `unlessModifiedAfter` (stored again by a
   * writer meanwhile: see `putBytes`); true when it was removed. The check and the removal
   * must be safe against a concurrent `putBytes` of the same content.
   */
  remove(location: string, options: { unlessModifiedAfter: number }): Promise<boolean>;
  /** A fresh path (not yet existing, its parent created) for a step to write into. */
  tempPath(label: string): Promise<string>;
  /** Removes a temporary path that will not be stored (a failed or cancelled step's output). */
  discard(path: string): Promise<void>;
  close(): Promise<void>;
}

/** What went wrong with an artefact. */
export type ArtefactProblem = 'missing' | 'corrupt' | 'unreadable' | 'no-space' | 'read-only';

const CODES: Record<ArtefactProblem, WeirErrorCode> = {
  missing: 'E_ARTEFACT',
  corrupt: 'E_ARTEFACT_CORRUPT',
  unreadable: 'E_ARTEFACT',
  'no-space': 'E_NO_SPACE',
  'read-only': 'E_READ_ONLY',
};

/** An artefact that cannot be read or written, and why; the execution layer adds whose it is. */
export class ArtefactError extends EnvironmentError {
  readonly problem: ArtefactProblem;
  /** The artefact's location, when it has one yet. */
  readonly location: string | undefined;

  constructor(
    problem: ArtefactProblem,
    message: string,
    options: { location?: string; hint?: string; cause?: unknown } = {},
  ) {
    super(CODES[problem], message, options);
    this.problem = problem;
    this.location = options.location;
  }
}

export function isArtefactError(error: unknown): error is ArtefactError {
  return error instanceof ArtefactError;
}
