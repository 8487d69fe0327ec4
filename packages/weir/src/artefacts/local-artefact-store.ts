/**
 * @module artefacts/local-artefact-store
 * The local, content-addressed artefact store: objects on this machine's file system.
 */
import { randomBytes } from 'node:crypto';
import {
  cpSync,
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { sha256 } from '../hash.js';
import { errnoOf, makeReadOnly, removeTree, treeStat, writeFailure } from './_local-files.js';
import { hashTree } from './_tree-hash.js';
import {
  ArtefactError,
  type ArtefactHealth,
  type ArtefactStore,
  type PutOptions,
  type StoredArtefact,
  type StoredObject,
} from './artefact-store.js';

const ADDRESS = /^objects\/[0-9a-f]{2}\/([0-9a-f]{64})$/;
const UNHASHED: ArtefactHealth = Object.freeze({ status: 'intact', hashed: false });

export interface LocalArtefactStoreOptions {
  /** Open without writing anything (a read-only instance): every write throws `read-only`. */
  readOnly?: boolean;
}

/**
 * Content-addressed artefacts on the local file system:
 * `objects/<first two hex digits>/<sha256>` for blobs, files and directories, and
 * `tmp/<pid>-<random>/` for this process's writes in flight.
 */
export class LocalArtefactStore implements ArtefactStore {
  readonly root: string;
  readonly readOnly: boolean;
  private readonly tmpDir: string;
  private readonly knownDirs = new Set<string>();
  private counter = 0;

  constructor(root: string, options: LocalArtefactStoreOptions = {}) {
    this.root = resolve(root);
    this.readOnly = options.readOnly ?? false;
    this.tmpDir = join(this.root, 'tmp', `${process.pid}-${randomBytes(4).toString('hex')}`);
    if (this.readOnly) return;
    mkdirSync(join(this.root, 'objects'), { recursive: true });
    mkdirSync(join(this.root, 'tmp'), { recursive: true });
    removeDeadProcessTemps(join(this.root, 'tmp'));
  }

  async putBytes(bytes: Uint8Array, options: PutOptions = {}): Promise<StoredArtefact> {
    const contentHash = sha256(bytes);
    const stored: StoredArtefact = {
      location: this.locationOf(contentHash, options),
      contentHash,
      size: bytes.byteLength,
      type: 'blob',
    };
    const target = join(this.root, stored.location);
    if (holds(target, bytes) && touch(target)) return stored;
    const temp = this.nextTemp('blob', options);
    try {
      writeFileSync(temp, bytes, { mode: 0o444 });
      // Over whatever is there: a corrupt copy is replaced atomically.
      this.renameOver(temp, target);
    } catch (error) {
      rmSync(temp, { force: true });
      throw writeFailure(error, whose(options), temp);
    }
    return stored;
  }

  async putPath(path: string, options: PutOptions = {}): Promise<StoredArtefact> {
    if (!existsSync(path)) {
      throw new ArtefactError('missing', `nothing was written at ${path}`);
    }
    const tree = hashTree(path);
    const stored: StoredArtefact = {
      location: this.locationOf(tree.hash, options),
      contentHash: tree.hash,
      size: tree.size,
      type: tree.type,
    };
    try {
      const local = this.onThisDevice(path, options);
      makeReadOnly(local, tree.type);
      this.moveIntoPlace(local, join(this.root, stored.location), tree);
    } catch (error) {
      throw writeFailure(error, whose(options), path);
    }
    return stored;
  }

  async read(location: string): Promise<Uint8Array> {
    const path = this.pathOf(location);
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(path);
    } catch (error) {
      throw this.readFailure(location, error);
    }
    const expected = ADDRESS.exec(location)?.[1];
    if (expected !== undefined) {
      const actual = sha256(bytes);
      if (actual !== expected) throw this.corrupt(location, actual);
    }
    return bytes;
  }

  async localPath(location: string, options: { storedAt?: number } = {}): Promise<string> {
    const path = this.pathOf(location);
    const health = await this.verify(location, options);
    if (health.status === 'missing') throw this.readFailure(location, undefined);
    if (health.status === 'corrupt') throw this.corrupt(location, health.actualHash);
    if (health.status === 'unreadable') {
      throw new ArtefactError(
        'unreadable',
        `artefact ${location} cannot be read: ${health.error}`,
        {
          location,
        },
      );
    }
    return path;
  }

  async exists(location: string): Promise<boolean> {
    return existsSync(this.pathOf(location));
  }

  async verify(
    location: string,
    options: { deep?: boolean; storedAt?: number } = {},
  ): Promise<ArtefactHealth> {
    return this.check(location, options);
  }

  /** The cheap check of many artefacts in one synchronous pass: a `stat` each, no promise each. */
  async verifyMany(
    items: ReadonlyArray<{ location: string; storedAt?: number }>,
  ): Promise<ArtefactHealth[]> {
    return items.map((item) => this.check(item.location, item));
  }

  private check(location: string, options: { deep?: boolean; storedAt?: number }): ArtefactHealth {
    const path = this.pathOf(location);
    try {
      const stat = lstatSync(path, { throwIfNoEntry: false });
      if (stat === undefined) return { status: 'missing' };
      const expected = ADDRESS.exec(location)?.[1];
      if (expected === undefined) return { status: 'intact', hashed: false };
      if (!options.deep) {
        // Written over after it was stored (its mtime moved past its event): hash it. Whole
        // milliseconds: storedAt is one, taken after the write, in the same (or a later) ms.
        const modifiedAt = stat.isDirectory() ? treeStat(path).modifiedAt : stat.mtimeMs;
        const suspect = options.storedAt !== undefined && Math.floor(modifiedAt) > options.storedAt;
        if (!suspect) return UNHASHED;
      }
      const actual = stat.isDirectory() ? hashTree(path).hash : sha256(readFileSync(path));
      return actual === expected
        ? { status: 'intact', hashed: true }
        : { status: 'corrupt', actualHash: actual };
    } catch (error) {
      return { status: 'unreadable', error: (error as Error).message };
    }
  }

  async *list(): AsyncIterable<StoredObject> {
    const objects = join(this.root, 'objects');
    for (const prefix of readdirSync(objects)) {
      if (!/^[0-9a-f]{2}$/.test(prefix)) continue;
      for (const name of readdirSync(join(objects, prefix))) {
        const location = `objects/${prefix}/${name}`;
        if (!ADDRESS.test(location)) continue;
        const stat = treeStatOrUndefined(join(objects, prefix, name));
        if (stat !== undefined) yield { location, ...stat };
      }
    }
  }

  async remove(location: string, options: { unlessModifiedAfter: number }): Promise<boolean> {
    this.assertWritable(location);
    const target = this.pathOf(location);
    const trash = this.nextTemp('collected', {});
    try {
      renameSync(target, trash);
    } catch (error) {
      if (errnoOf(error) === 'ENOENT') return false;
      throw writeFailure(error, `artefact ${location}`, target);
    }
    // Stored again while we looked (putBytes touches what it finds): put it back.
    if (lstatSync(trash).mtimeMs > options.unlessModifiedAfter) {
      restore(trash, target);
      return false;
    }
    removeTree(trash);
    return true;
  }

  async tempPath(label: string): Promise<string> {
    this.assertWritable(label);
    return this.nextTemp(label.replace(/[^A-Za-z0-9_.-]+/g, '_'), { label });
  }

  async discard(path: string): Promise<void> {
    if (!resolve(path).startsWith(this.tmpDir + sep)) return;
    removeTree(path);
  }

  async close(): Promise<void> {
    if (!this.readOnly) removeTree(this.tmpDir);
  }

  /** Puts a checked `local` tree at `target`: over a file, or instead of a differing directory. */
  private moveIntoPlace(local: string, target: string, tree: { hash: string; type: string }) {
    if (tree.type === 'file') return this.renameOver(local, target);
    if (!existsSync(target)) {
      try {
        renameSync(local, target);
        return;
      } catch (error) {
        // A directory another writer stored meanwhile: checked below like any existing one.
        if (!existsSync(target)) throw error;
      }
    }
    if (holdsTree(target, tree.hash) && touch(target)) {
      removeTree(local);
      return;
    }
    // A corrupt directory, or a file where ours goes: swap it for ours.
    this.swapIn(local, target);
  }

  /** Renames the file `local` over `target`, swapping out a directory found there (corrupt). */
  private renameOver(local: string, target: string): void {
    try {
      renameSync(local, target);
    } catch (error) {
      if (errnoOf(error) !== 'EISDIR') throw error;
      this.swapIn(local, target);
    }
  }

  /** Puts `local` at `target` instead of what is there (readers may briefly find it missing). */
  private swapIn(local: string, target: string): void {
    const trash = this.nextTemp('replaced', {});
    renameSync(target, trash);
    renameSync(local, target);
    removeTree(trash);
  }

  /** `path` itself, or a copy in this store's temp folder when it is on another device. */
  private onThisDevice(path: string, options: PutOptions): string {
    if (resolve(path).startsWith(this.root + sep)) return path;
    const copy = this.nextTemp('copy', options);
    try {
      renameSync(path, copy);
    } catch (error) {
      if (errnoOf(error) !== 'EXDEV') throw error;
      cpSync(path, copy, { recursive: true });
      removeTree(path);
    }
    return copy;
  }

  private locationOf(hash: string, options: PutOptions): string {
    this.assertWritable(whose(options));
    const prefix = hash.slice(0, 2);
    if (!this.knownDirs.has(prefix)) {
      const dir = join(this.root, 'objects', prefix);
      try {
        mkdirSync(dir, { recursive: true });
      } catch (error) {
        throw writeFailure(error, whose(options), dir);
      }
      this.knownDirs.add(prefix);
    }
    return `objects/${prefix}/${hash}`;
  }

  /** The absolute path of a location, refusing anything that would escape the store. */
  private pathOf(location: string): string {
    // A content address cannot leave the store: no resolving needed (status checks thousands).
    if (ADDRESS.test(location)) return `${this.root}${sep}${location}`;
    const path = resolve(this.root, location);
    if (!path.startsWith(this.root + sep)) {
      throw new ArtefactError(
        'unreadable',
        `artefact location ${JSON.stringify(location)} is outside the store`,
        { location },
      );
    }
    return path;
  }

  private nextTemp(label: string, options: PutOptions): string {
    if (this.counter === 0) {
      try {
        mkdirSync(this.tmpDir, { recursive: true });
      } catch (error) {
        throw writeFailure(error, whose(options), this.tmpDir);
      }
    }
    this.counter += 1;
    return join(this.tmpDir, `${this.counter}-${label}`);
  }

  private assertWritable(what: string): void {
    if (!this.readOnly) return;
    throw new ArtefactError(
      'read-only',
      `cannot write ${what}: the artefact store ${this.root} is read-only here`,
      {
        hint: 'run weir where the instance folder is writable, or make it writable (chmod -R u+w)',
      },
    );
  }

  private readFailure(location: string, error: unknown): ArtefactError {
    const missing = error === undefined || errnoOf(error) === 'ENOENT';
    return new ArtefactError(
      missing ? 'missing' : 'unreadable',
      missing
        ? `artefact ${location} is missing from ${this.root}`
        : `artefact ${location} cannot be read from ${this.root}: ${(error as Error).message}`,
      { location, ...(error === undefined ? {} : { cause: error }) },
    );
  }

  private corrupt(location: string, actual: string): ArtefactError {
    return new ArtefactError(
      'corrupt',
      `artefact ${location} in ${this.root} is corrupt: its content hashes to ${actual.slice(0, 12)}…, not to its address`,
      { location },
    );
  }
}

function whose(options: PutOptions): string {
  return options.label === undefined ? 'an artefact' : `${options.label}'s artefact`;
}

/** Whether the file at `target` holds exactly `bytes` (false when absent or unreadable). */
function holds(target: string, bytes: Uint8Array): boolean {
  try {
    if (statSync(target).size !== bytes.byteLength) return false;
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).equals(
      readFileSync(target),
    );
  } catch {
    return false;
  }
}

/** Whether the tree at `target` hashes to `hash` (false when it cannot be hashed). */
function holdsTree(target: string, hash: string): boolean {
  try {
    return hashTree(target).hash === hash;
  } catch {
    return false;
  }
}

/** Marks a stored artefact as just stored again; false when it vanished (collected meanwhile). */
function touch(target: string): boolean {
  const now = new Date();
  try {
    utimesSync(target, now, now);
    return true;
  } catch {
    return false;
  }
}

/** Puts a removed artefact back, unless a writer stored it again meanwhile (then ours goes). */
function restore(trash: string, target: string): void {
  try {
    if (lstatSync(trash).isDirectory()) renameSync(trash, target);
    else {
      linkSync(trash, target);
      unlinkSync(trash);
    }
  } catch (error) {
    if (errnoOf(error) !== 'EEXIST' && errnoOf(error) !== 'ENOTEMPTY') throw error;
    removeTree(trash);
  }
}

function treeStatOrUndefined(path: string): { size: number; modifiedAt: number } | undefined {
  try {
    return treeStat(path);
  } catch {
    return undefined;
  }
}

/** Temp folders of processes that died (kill -9) hold only unreferenced partial writes. */
function removeDeadProcessTemps(tmpRoot: string): void {
  for (const name of readdirSync(tmpRoot)) {
    const pid = Number(name.split('-')[0]);
    if (Number.isInteger(pid) && pid > 0 && !isAlive(pid)) {
      try {
        removeTree(join(tmpRoot, name));
      } catch {
        // Left for the next process: a leftover temp folder harms nothing.
      }
    }
  }
}

/**
 * Whether process `pid` on this host is running. A killed process that nobody has reaped
 * yet (a zombie, when PID 1 does not reap) still answers signals: on Linux its state says so.
 * With `start` (see `processStart`), a process with that pid that started at another time
 * is another process: the one asked about is not running.
 */
export function isAlive(pid: number, start?: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  if (isZombie(pid)) return false;
  // Another process given the same pid later (after a reboot, in a restarted container).
  const now = start === undefined ? undefined : processStart(pid);
  return now === undefined || now === start;
}

/**
 * When process `pid` started, in the host's own terms: on Linux, field 22 of /proc/PID/stat
 * (clock ticks after boot), which with the pid names one process; undefined elsewhere.
 */
export function processStart(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // pid (comm) state …: the fields after the last ')' start at field 3.
    const ticks = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
    return Number.isInteger(ticks) ? ticks : undefined;
  } catch {
    return undefined;
  }
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
