/**
 * @module definitions/folder-sensor
 * `folderSensor()`: a built-in sensor that reports new and changed files in a folder, by size
 * and modification time, confirmed by a content hash, against its cursor.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DefinitionError, EnvironmentError } from '../errors.js';
import { compileFileGlob, fileGlobProblem, globDescends } from './_file-glob.js';
import { rejectUnknown } from './_spec.js';
import type { Metadata } from './metadata.js';
import { optionKeys } from './option-keys.js';
import { type DynamicPartitionsDefinition, partitionKeyProblem } from './partitions/index.js';
import {
  type SensorContext,
  type SensorDefinition,
  type SensorObservation,
  type SensorResult,
  sensor,
} from './sensor.js';
import type { SourceAssetDefinition } from './source-asset.js';

export interface FolderSensorSpec {
  name: string;
  description?: string;
  /** The folder; a relative path counts from the working directory (the project folder under `weir`). */
  path: string;
  /**
   * Which files, relative to the folder: `*` and `?` match within a name, `**` any number of
   * folders (`*.csv`, `**\/*.json`, `2026/*.csv`). Hidden files (a name starting with `.`) never
   * match: write a file under a hidden name and rename it, so a half-written file is not seen.
   */
  pattern: string;
  /** Default `'30s'`. */
  interval?: string | number;
  timeout?: string | number;
  /** The source asset to observe: its definition or key. */
  source?: SourceAssetDefinition<string> | string;
  /**
   * Dynamic partitions (the definition or its name) to add a key to for each new file; with
   * `source`, each file is an observation of that partition of the source.
   */
  partitions?: DynamicPartitionsDefinition | string;
  /** The partition key of a file; default its relative path without the extension, other characters than `A-Za-z0-9_.:-` as `_`. */
  partitionKey?: (relativePath: string) => string;
}

/** What the cursor remembers of each file: size, modification time (ms) and SHA-256. */
interface FileState {
  size: number;
  mtimeMs: number;
  hash: string;
}

interface FolderCursor {
  v: 1;
  files: Record<string, [number, number, string]>;
}

const SPEC_KEYS = optionKeys<FolderSensorSpec>({
  name: true,
  description: true,
  path: true,
  pattern: true,
  interval: true,
  timeout: true,
  source: true,
  partitions: true,
  partitionKey: true,
});

/**
 * Declares a sensor over a folder. Each tick lists the files matching `pattern`; a file whose
 * size or modification time differs from the cursor is hashed, and reported when its content
 * is new. With `source` and `partitions`, each new file adds a dynamic partition (by default
 * its name without extension) and observes that partition of the source with the file's hash;
 * with `source` only, the source is observed once per change, its version a hash of every
 * matching file; with `partitions` only, new files add partitions. Removed files are dropped
 * from the cursor and change nothing else.
 *
 * @example
 * const inbox = dynamicPartitions('inbox_files');
 * const incoming = sourceAsset({ key: 'raw/readings_file', partitions: inbox, observe: … });
 * const telemetryInbox = folderSensor({
 *   name: 'telemetry_inbox',
 *   path: 'inbox',
 *   pattern: '*.csv',
 *   source: incoming,
 *   partitions: inbox,
 * });
 */
export function folderSensor(spec: FolderSensorSpec): SensorDefinition {
  const owner = `folderSensor '${String(spec?.name)}'`;
  if (typeof spec !== 'object' || spec === null) {
    throw new DefinitionError('E_DEFINITION', 'folderSensor() needs { name, path, pattern }');
  }
  rejectUnknown(spec, SPEC_KEYS, owner);
  if (typeof spec.path !== 'string' || spec.path === '') {
    throw new DefinitionError('E_DEFINITION', `${owner} needs a folder path`);
  }
  const problem = fileGlobProblem(spec.pattern);
  if (problem !== undefined) throw new DefinitionError('E_DEFINITION', `${owner}: ${problem}`);
  const source = typeof spec.source === 'string' ? spec.source : spec.source?.key;
  const partitions = dynamicName(spec, owner);
  if (source === undefined && partitions === undefined) {
    throw new DefinitionError('E_DEFINITION', `${owner} has nothing to report`, {
      hint: 'give it a source asset to observe, dynamic partitions to add keys to, or both',
    });
  }
  const match = compileFileGlob(spec.pattern);
  const keyOf = spec.partitionKey ?? defaultPartitionKey;
  const poll = async (ctx: SensorContext): Promise<SensorResult | undefined> => {
    const root = resolve(spec.path);
    const previous = readCursor(ctx.cursor);
    const current = await scan(root, spec.pattern, match, previous, ctx.signal);
    const changed = [...current.keys()].filter(
      (path) => previous.get(path)?.hash !== current.get(path)!.hash,
    );
    const cursor = writeCursor(current);
    if (changed.length === 0 && previous.size === current.size) {
      return cursor === ctx.cursor ? undefined : { cursor };
    }
    // A file whose key cannot be a partition is said once (until it changes) and left out,
    // so one badly named file does not stop the sensor for every other file.
    const usable =
      partitions === undefined
        ? changed
        : changed.filter((path) => {
            const problem = partitionKeyProblem(keyOf(path));
            if (problem !== undefined) ctx.log.warn(`${path} left out: ${problem}`);
            return problem === undefined;
          });
    return {
      cursor,
      ...report({ changed: usable, previous, current, keyOf, source, partitions, root }),
    };
  };
  return sensor({
    name: spec.name,
    ...(spec.description === undefined ? {} : { description: spec.description }),
    interval: spec.interval ?? '30s',
    ...(spec.timeout === undefined ? {} : { timeout: spec.timeout }),
    poll,
  });
}

function dynamicName(spec: FolderSensorSpec, owner: string): string | undefined {
  const { partitions } = spec;
  if (partitions === undefined) return undefined;
  if (typeof partitions === 'string') return partitions;
  if (partitions?.kind !== 'dynamic') {
    throw new DefinitionError('E_DEFINITION', `${owner} partitions must be dynamic partitions`, {
      hint: "pass dynamicPartitions('name') or its name",
    });
  }
  const sourcePartitions = typeof spec.source === 'object' ? spec.source.partitions : undefined;
  if (
    typeof spec.source === 'object' &&
    (sourcePartitions?.kind !== 'dynamic' || sourcePartitions.name !== partitions.name)
  ) {
    throw new DefinitionError(
      'E_DEFINITION',
      `${owner} adds keys to dynamic partitions '${partitions.name}', but source '${spec.source.key}' is partitioned by ${sourcePartitions?.description ?? 'nothing'}`,
      { hint: `partition the source with the same dynamicPartitions('${partitions.name}')` },
    );
  }
  return partitions.name;
}

/** `2026/11-20.csv` → `2026_11-20`. */
export function defaultPartitionKey(relativePath: string): string {
  const withoutExtension = relativePath.replace(/\.[^./]*$/, '');
  return withoutExtension.replace(/[^A-Za-z0-9_.:-]/g, '_');
}

function report(args: {
  changed: string[];
  previous: ReadonlyMap<string, FileState>;
  current: ReadonlyMap<string, FileState>;
  keyOf: (path: string) => string;
  source: string | undefined;
  partitions: string | undefined;
  root: string;
}): Omit<SensorResult, 'cursor'> {
  const { changed, previous, current, keyOf, source, partitions } = args;
  const metadataOf = (path: string): Metadata => {
    const file = current.get(path)!;
    return {
      path,
      file: join(args.root, path),
      size: file.size,
      modified: new Date(file.mtimeMs).toISOString(),
    };
  };
  const added = changed.filter((path) => !previous.has(path)).map(keyOf);
  const dynamicPartitions =
    partitions === undefined || added.length === 0 ? [] : [{ name: partitions, add: added }];
  if (source === undefined) return { dynamicPartitions };
  if (partitions !== undefined) {
    const observations: SensorObservation[] = changed.map((path) => ({
      asset: source,
      partition: keyOf(path),
      dataVersion: current.get(path)!.hash,
      metadata: metadataOf(path),
    }));
    return { dynamicPartitions, observations };
  }
  const all = createHash('sha256');
  for (const [path, file] of [...current].sort(([a], [b]) => (a < b ? -1 : 1))) {
    all.update(`${path}\0${file.hash}\n`);
  }
  const shown = changed.slice(0, 20);
  return {
    observations: [
      {
        asset: source,
        dataVersion: all.digest('hex'),
        metadata: {
          files: current.size,
          changed: shown,
          ...(shown.length === 1 ? metadataOf(shown[0]!) : {}),
        },
      },
    ],
  };
}

function readCursor(cursor: string | undefined): Map<string, FileState> {
  const files = new Map<string, FileState>();
  if (cursor === undefined) return files;
  try {
    const parsed = JSON.parse(cursor) as FolderCursor;
    for (const [path, [size, mtimeMs, hash]] of Object.entries(parsed.files ?? {})) {
      files.set(path, { size, mtimeMs, hash });
    }
  } catch {
    // A cursor of another shape (the sensor was something else before): start afresh.
  }
  return files;
}

function writeCursor(files: ReadonlyMap<string, FileState>): string {
  const sorted = [...files].sort(([a], [b]) => (a < b ? -1 : 1));
  const cursor: FolderCursor = {
    v: 1,
    files: Object.fromEntries(sorted.map(([path, f]) => [path, [f.size, f.mtimeMs, f.hash]])),
  };
  return JSON.stringify(cursor);
}

async function scan(
  root: string,
  pattern: string,
  match: RegExp,
  previous: ReadonlyMap<string, FileState>,
  signal: AbortSignal,
): Promise<Map<string, FileState>> {
  const found = new Map<string, FileState>();
  for (const path of await listFiles(root, globDescends(pattern))) {
    signal.throwIfAborted();
    if (!match.test(path)) continue;
    const info = await stat(join(root, path)).catch(() => undefined);
    if (info === undefined || !info.isFile()) continue; // removed while listing
    const known = previous.get(path);
    const same = known !== undefined && known.size === info.size && known.mtimeMs === info.mtimeMs;
    const hash = same ? known.hash : await hashFile(join(root, path), signal);
    found.set(path, { size: info.size, mtimeMs: info.mtimeMs, hash });
  }
  return found;
}

/** Relative paths (with `/`) of the files under `root`, skipping hidden names. */
async function listFiles(root: string, descend: boolean, prefix = ''): Promise<string[]> {
  const entries = await readdir(join(root, prefix), { withFileTypes: true }).catch(
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' && prefix === '') {
        throw new EnvironmentError('E_NOT_FOUND', `folder '${root}' does not exist`, {
          hint: 'create it, or fix the folderSensor path (relative paths count from the project folder)',
        });
      }
      return [];
    },
  );
  const files: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const path = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) {
      if (descend) files.push(...(await listFiles(root, descend, path)));
    } else if (entry.isFile()) files.push(path);
  }
  return files.sort();
}

function hashFile(path: string, signal: AbortSignal): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const hash = createHash('sha256');
    const stream = createReadStream(path, { signal });
    stream.on('data', (chunk) => hash.update(chunk));
    stream.on('error', reject);
    stream.on('end', () => resolvePromise(hash.digest('hex')));
  });
}
