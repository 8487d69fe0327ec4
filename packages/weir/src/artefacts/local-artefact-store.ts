/**
 * @module artefacts/local-artefact-store
 * The local, content-addressed artefact store: objects on this machine's file system.
 */
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { EnvironmentError } from '../errors.js';
import { sha256 } from '../hash.js';
import { hashTree } from './_tree-hash.js';
import type { ArtefactStore, StoredArtefact } from './artefact-store.js';

/**
 * Content-addressed artefacts on the local file system:
 * `objects/<first two hex digits>/<sha256>` for blobs, files and directories, and
 * `tmp/<pid>-<random>/` for this process's writes in flight.
 */
export class LocalArtefactStore implements ArtefactStore {
  readonly root: string;
  private readonly tmpDir: string;
  private readonly knownDirs = new Set<string>();
  private counter = 0;

  constructor(root: string) {
    this.root = resolve(root);
    mkdirSync(join(this.root, 'objects'), { recursive: true });
    mkdirSync(join(this.root, 'tmp'), { recursive: true });
    removeDeadProcessTemps(join(this.root, 'tmp'));
    this.tmpDir = join(this.root, 'tmp', `${process.pid}-${randomBytes(4).toString('hex')}`);
  }

  async putBytes(bytes: Uint8Array): Promise<StoredArtefact> {
    const contentHash = sha256(bytes);
    const location = this.locationOf(contentHash);
    const target = join(this.root, location);
    if (!existsSync(target)) {
      const temp = this.nextTemp('blob');
      writeFileSync(temp, bytes, { mode: 0o444 });
      renameSync(temp, target);
    }
    return { location, contentHash, size: bytes.byteLength, type: 'blob' };
  }

  async putPath(path: string): Promise<StoredArtefact> {
    if (!existsSync(path)) {
      throw new EnvironmentError('E_ARTEFACT', `nothing was written at ${path}`);
    }
    const tree = hashTree(path);
    const location = this.locationOf(tree.hash);
    const target = join(this.root, location);
    if (existsSync(target)) {
      rmSync(path, { recursive: true, force: true });
    } else {
      makeReadOnly(path, tree.type);
      try {
        renameSync(path, target);
      } catch (error) {
        // Another writer stored the same content first: ours is redundant.
        if (!existsSync(target)) throw error;
        rmSync(path, { recursive: true, force: true });
      }
    }
    return { location, contentHash: tree.hash, size: tree.size, type: tree.type };
  }

  async read(location: string): Promise<Uint8Array> {
    const path = this.pathOf(location);
    try {
      return readFileSync(path);
    } catch (error) {
      throw new EnvironmentError(
        'E_ARTEFACT',
        `artefact ${location} cannot be read from ${this.root}: ${(error as Error).message}`,
        {
          cause: error,
          hint: 'the artefact store lost a file the event log refers to; rematerialize the asset with --force',
        },
      );
    }
  }

  async localPath(location: string): Promise<string> {
    const path = this.pathOf(location);
    if (!existsSync(path)) {
      throw new EnvironmentError(
        'E_ARTEFACT',
        `artefact ${location} is missing from ${this.root}`,
        {
          hint: 'rematerialize the asset with --force',
        },
      );
    }
    return path;
  }

  async exists(location: string): Promise<boolean> {
    return existsSync(this.pathOf(location));
  }

  async tempPath(label: string): Promise<string> {
    return this.nextTemp(label.replace(/[^A-Za-z0-9_.-]+/g, '_'));
  }

  async discard(path: string): Promise<void> {
    if (!resolve(path).startsWith(this.tmpDir + sep)) return;
    rmSync(path, { recursive: true, force: true });
  }

  async close(): Promise<void> {
    rmSync(this.tmpDir, { recursive: true, force: true });
  }

  private locationOf(hash: string): string {
    const prefix = hash.slice(0, 2);
    if (!this.knownDirs.has(prefix)) {
      mkdirSync(join(this.root, 'objects', prefix), { recursive: true });
      this.knownDirs.add(prefix);
    }
    return `objects/${prefix}/${hash}`;
  }

  /** The absolute path of a location, refusing anything that would escape the store. */
  private pathOf(location: string): string {
    const path = resolve(this.root, location);
    if (!path.startsWith(this.root + sep)) {
      throw new EnvironmentError(
        'E_ARTEFACT',
        `artefact location ${JSON.stringify(location)} is outside the store`,
      );
    }
    return path;
  }

  private nextTemp(label: string): string {
    if (this.counter === 0) mkdirSync(this.tmpDir, { recursive: true });
    this.counter += 1;
    return join(this.tmpDir, `${this.counter}-${label}`);
  }
}

/**
 * Stored files are read-only, so a downstream step cannot alter its upstream's artefact by
 * accident (a process running as root still can: the store trusts the steps it runs).
 */
function makeReadOnly(path: string, type: 'file' | 'directory'): void {
  if (type === 'file') {
    chmodSync(path, 0o444);
    return;
  }
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    const full = join(path, entry.name);
    if (entry.isDirectory()) makeReadOnly(full, 'directory');
    else chmodSync(full, 0o444);
  }
}

/** Temp folders of processes that died (kill -9) hold only unreferenced partial writes. */
function removeDeadProcessTemps(tmpRoot: string): void {
  for (const name of readdirSync(tmpRoot)) {
    const pid = Number(name.split('-')[0]);
    if (Number.isInteger(pid) && pid > 0 && !isAlive(pid)) {
      rmSync(join(tmpRoot, name), { recursive: true, force: true });
    }
  }
}

/**
 * Whether process `pid` on this host is running. A killed process that nobody has reaped
 * yet (a zombie, when PID 1 does not reap) still answers signals: on Linux its state says so.
 */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  return !isZombie(pid);
}

function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // pid (comm) state …: the command may hold spaces and parentheses, the state follows the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z';
  } catch {
    return false;
  }
}
