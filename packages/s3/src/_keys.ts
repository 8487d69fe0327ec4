/**
 * @module @weir/s3/_keys
 * Locations and keys: a location is `objects/<first two hex digits>/<sha256>`, the local store's
 * form, and its key in the bucket is the store's prefix followed by it. What kind of artefact an
 * object holds is in its metadata (`weir-type`).
 */
import { ArtefactError } from 'weir';

const ADDRESS = /^objects\/([0-9a-f]{2})\/([0-9a-f]{64})$/;
/** An object or one of its marks, as `list` meets them under `<prefix>objects/`. */
export const LISTED = /^objects\/([0-9a-f]{2})\/([0-9a-f]{64})(\.stored|\.collecting)?$/;

export type Kind = 'blob' | 'file' | 'directory';

export function locationOf(hash: string): string {
  return `objects/${hash.slice(0, 2)}/${hash}`;
}

/** The hash a location names; anything else is not a location of this store. */
export function hashOf(location: string): string {
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

export function kindOf(metadata: Record<string, string> | undefined): Kind | undefined {
  const kind = metadata?.['weir-type'];
  return kind === 'blob' || kind === 'file' || kind === 'directory' ? kind : undefined;
}

/** A key as CopyObject's CopySource wants it: each segment percent-encoded. */
export function encodeKey(key: string): string {
  return key.split('/').map(encodeURIComponent).join('/');
}
