/**
 * `search_index`: the directory as a SQLite FTS5 file (weighted BM25, spelling correction,
 * English/Spanish synonyms, taxonomy facets, distance), in a folder with what it was built
 * from. Incremental: the previous index is copied and only the services of agencies that
 * changed, and those whose entity changed, are rewritten; `weir verify --reproduce` builds it
 * from scratch and compares.
 */
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type SearchEntry, SearchIndex, type WriteCounts } from '@weir/hsds';
import { asset, eager, type FileArtefact } from 'weir';
import { directory } from './directory.js';
import type { DirectoryService } from './directory-types.js';
import { sameCodePrevious } from './previous.js';

/** The files of the artefact's folder. */
export const INDEX_FILE = 'index.sqlite';
const BUILT_FROM = 'built-from.json';

/** What the index holds, to know next time what changed. */
interface BuiltFrom {
  /** Agency → the content version of its services in the index. */
  agencies: Record<string, string>;
  /** Service id → its entity, where the entity is not the service itself. */
  entities: Record<string, string>;
}

export const searchIndex = asset({
  key: 'search_index',
  group: 'directory',
  kinds: ['sqlite', 'search'],
  description:
    'Full-text search over the directory: SQLite FTS5 with BM25, synonyms and spelling correction',
  io: 'files',
  ins: { directory },
  automation: eager(),
  materialize: async (ctx, { directory }) => {
    await mkdir(ctx.outputPath);
    const target = join(ctx.outputPath, INDEX_FILE);
    const previous = await sameCodePrevious<FileArtefact>(ctx);
    const before = previous === undefined ? undefined : await builtFrom(previous.path);
    const now: BuiltFrom = { agencies: {}, entities: {} };
    for (const [agency, part] of Object.entries(directory.agencies)) {
      now.agencies[agency] = part.contentVersion;
    }
    for (const s of directory.services) {
      if (s.entityId !== s.service.id) now.entities[s.service.id] = s.entityId;
    }
    let index = before === undefined ? undefined : await copyOf(previous!.path, target, ctx.log);
    let written: number;
    if (index === undefined) {
      index = SearchIndex.create(target);
      written = changes(index.upsert(directory.services.map(entryOf)));
    } else {
      written = update(index, directory.services, before!, now);
    }
    const counts = index.count();
    // The SQLite file's bytes depend on how it was written (pages, free lists), not only on
    // what it holds: its version is what it holds, read back, so an index updated in place
    // and one built from scratch have the same version exactly when they hold the same.
    ctx.setDataVersion(index.contentVersion());
    index.close();
    await writeFile(join(ctx.outputPath, BUILT_FROM), JSON.stringify(now));
    ctx.addMetadata({
      services: counts.services,
      searchable: counts.searchable,
      rewritten: written,
      incremental: before !== undefined,
    });
  },
});

function entryOf(service: DirectoryService): SearchEntry {
  const { entityId, ...mapped } = service;
  return { ...mapped, clusterId: entityId };
}

/** Rewrites what changed since `before`; returns how many services were written or removed. */
function update(
  index: SearchIndex,
  services: readonly DirectoryService[],
  before: BuiltFrom,
  now: BuiltFrom,
): number {
  let written = 0;
  for (const agency of Object.keys(before.agencies)) {
    if (!(agency in now.agencies)) written += index.removeWhere({ agency });
  }
  const changedAgency = new Map<string, DirectoryService[]>();
  const moved: DirectoryService[] = [];
  for (const service of services) {
    const agency = service.source.agency;
    if (before.agencies[agency] !== now.agencies[agency]) {
      const list = changedAgency.get(agency) ?? [];
      list.push(service);
      changedAgency.set(agency, list);
    } else if (before.entities[service.service.id] !== now.entities[service.service.id]) {
      moved.push(service);
    }
  }
  for (const [agency, list] of changedAgency) {
    written += changes(index.replaceAgency(agency, list.map(entryOf)));
  }
  if (moved.length > 0) written += changes(index.upsert(moved.map(entryOf)));
  return written;
}

function changes(counts: WriteCounts): number {
  return counts.added + counts.updated + counts.removed;
}

/** The previous index copied to `target` and opened, or undefined (said in the log) when it cannot be. */
async function copyOf(
  folder: string,
  target: string,
  log: { warn(message: string): void },
): Promise<SearchIndex | undefined> {
  try {
    await copyFile(join(folder, INDEX_FILE), target);
    return SearchIndex.open(target);
  } catch (error) {
    log.warn(`the previous index cannot be updated, so it is rebuilt: ${(error as Error).message}`);
    await rm(target, { force: true });
    return undefined;
  }
}

async function builtFrom(folder: string): Promise<BuiltFrom | undefined> {
  try {
    return JSON.parse(await readFile(join(folder, BUILT_FROM), 'utf8')) as BuiltFrom;
  } catch {
    return undefined;
  }
}
