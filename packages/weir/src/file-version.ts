/**
 * @module file-version
 * A data version for a local file (its SHA-256), for source assets that observe files.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';

/**
 * A data version for a local file: the SHA-256 of its bytes. Handy in a source asset's
 * `observe` for files that arrive from elsewhere (exports, drops, downloads).
 *
 * @example
 * sourceAsset({ key: 'raw/agency_export', observe: () => fileVersion('data/export.csv') })
 */
export async function fileVersion(
  path: string,
): Promise<{ dataVersion: string; metadata: { path: string; bytes: number; modified: string } }> {
  const info = await stat(path);
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return {
    dataVersion: hash.digest('hex'),
    metadata: { path, bytes: info.size, modified: info.mtime.toISOString() },
  };
}
