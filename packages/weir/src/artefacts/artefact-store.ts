/**
 * @module artefacts/artefact-store
 * Where materialized bytes live. Stores are content-addressed and immutable: an artefact
 * is written under a temporary name and renamed into place, so a crash never leaves a
 * half-written artefact behind a valid event.
 */

export interface StoredArtefact {
  /** Store-relative location. */
  location: string;
  /** SHA-256 of the bytes; for a directory, of its manifest (paths, sizes, file hashes). */
  contentHash: string;
  size: number;
  type: 'blob' | 'file' | 'directory';
}

export interface ArtefactStore {
  /** Stores bytes; storing the same bytes twice stores them once. */
  putBytes(bytes: Uint8Array): Promise<StoredArtefact>;
  /** Moves the file or directory at `path` (from `tempPath`) into the store. */
  putPath(path: string): Promise<StoredArtefact>;
  read(location: string): Promise<Uint8Array>;
  /** An absolute local path to the stored file or directory, for readers of `files` artefacts. */
  localPath(location: string): Promise<string>;
  exists(location: string): Promise<boolean>;
  /** A fresh path (not yet existing, its parent created) for a step to write into. */
  tempPath(label: string): Promise<string>;
  /** Removes a temporary path that will not be stored (a failed or cancelled step's output). */
  discard(path: string): Promise<void>;
  close(): Promise<void>;
}
