/**
 * @module artefacts/_tree-hash
 * Content hashes of files and directory trees: the addresses of `files` artefacts.
 */
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EnvironmentError } from '../errors.js';
import { sha256 } from '../hash.js';

export interface TreeHash {
  hash: string;
  size: number;
  type: 'file' | 'directory';
}

/**
 * Hashes a file by its bytes, or a directory by a manifest of every entry (sorted relative
 * path, size, SHA-256 of the bytes), so the same tree always has the same hash.
 */
export function hashTree(path: string): TreeHash {
  const stat = lstatSync(path);
  if (stat.isFile()) return { hash: sha256(readFileSync(path)), size: stat.size, type: 'file' };
  if (!stat.isDirectory()) throw notStorable(path);
  // The header keeps a directory's hash apart from any file's (an empty directory and an
  // empty file must not share an address in the store).
  const manifest = createHash('sha256').update('weir-tree/1\n');
  let size = 0;
  const walk = (dir: string, prefix: string) => {
    for (const name of readdirSync(dir).sort()) {
      const full = join(dir, name);
      const relative = prefix === '' ? name : `${prefix}/${name}`;
      const entry = lstatSync(full);
      if (entry.isDirectory()) {
        manifest.update(`d ${relative}\n`);
        walk(full, relative);
      } else if (entry.isFile()) {
        size += entry.size;
        manifest.update(`f ${relative} ${entry.size} ${sha256(readFileSync(full))}\n`);
      } else {
        throw notStorable(full);
      }
    }
  };
  walk(path, '');
  return { hash: manifest.digest('hex'), size, type: 'directory' };
}

function notStorable(path: string): EnvironmentError {
  return new EnvironmentError(
    'E_ARTEFACT',
    `cannot store ${path}: only regular files and directories can be artefacts`,
    {
      hint: 'copy the target of a symlink instead of linking to it',
    },
  );
}
