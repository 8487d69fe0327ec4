/**
 * The directory app on a real Weir server, over a directory made from the agencies' real
 * exports (mapped and entity-resolved as the `directory` asset does) and a real search index,
 * each the current value of an asset of a small project on a temporary instance. The exports
 * carry no licence: they are read here, never copied into the repository.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  EntityResolver,
  layouts,
  type MappedService,
  mapExport,
  type Organization,
  resolvableFromService,
  SearchIndex,
} from '@weir/hsds';
import { asset, defineProject, type Instance, materialize, openInstance } from 'weir';
import { type RunningServer, startServer } from 'weir/server';
import { createDirectoryApp } from '../src/api/index.js';
import type { Directory, DirectoryService } from '../src/directory-types.js';
import { INDEX_FILE } from '../src/search-index.js';

/** The shared data folder (holding social-services/): beside the clone, or $WEIR_SHARED_DATA. */
export const SHARED_DATA =
  process.env.WEIR_SHARED_DATA ??
  fileURLToPath(new URL('../../../../shared/data', import.meta.url));
const SOCIAL = join(SHARED_DATA, 'social-services');
export const OPENAPI_PATH = join(SOCIAL, 'hsds-3.0', 'schema', 'openapi.json');
export const COMPILED_DIR = join(SOCIAL, 'hsds-3.0', 'schema', 'compiled');

/** The agencies the fixture reads: key, layout, export. */
const EXPORTS = [
  { agency: 'dc-211', layout: 'icarol-211', file: 'agencies/211.csv' },
  { agency: 'sf-211', layout: 'icarol-211-extended', file: 'agencies/sf_211.csv' },
] as const;

export const noRealData =
  !existsSync(OPENAPI_PATH) || EXPORTS.some((e) => !existsSync(join(SOCIAL, e.file)));

/** A suite title that says why it is skipped when the data is absent. */
export function realDataTitle(name: string): string {
  return noRealData
    ? `${name} (skipped: the HSDS schemas and agency exports were not found at ${SOCIAL}; set WEIR_SHARED_DATA)`
    : name;
}

let built: Directory | undefined;

/** The directory of the real exports, made once per test file. */
export function realDirectory(): Directory {
  if (built !== undefined) return built;
  const resolver = new EntityResolver();
  const byAgency = new Map<string, MappedService[]>();
  const agencies: Directory['agencies'] = {};
  for (const e of EXPORTS) {
    const bytes = readFileSync(join(SOCIAL, e.file));
    const mapped = mapExport(layouts[e.layout]!, {
      agency: e.agency,
      file: e.file.split('/').pop()!,
      bytes,
    });
    byAgency.set(e.agency, [...mapped.services]);
    resolver.replaceAgency(e.agency, mapped.services.flatMap(resolvableFromService));
    agencies[e.agency] = {
      exportVersion: 'test',
      contentVersion: 'test',
      file: mapped.file,
      layout: mapped.layout,
      services: mapped.services.length,
    };
  }
  const entities = resolver.clusters();
  const entityOf = new Map<string, string>();
  for (const entity of entities) {
    for (const member of entity.members) {
      const at = member.id.indexOf('@');
      entityOf.set(at < 0 ? member.id : member.id.slice(0, at), entity.id);
    }
  }
  const services: DirectoryService[] = [...byAgency.values()].flat().map((s) => ({
    ...s,
    entityId: entityOf.get(s.service.id) ?? s.service.id,
  }));
  const organizations = new Map<string, Organization>();
  for (const { service } of services) {
    if (service.organization !== undefined && !organizations.has(service.organization.id)) {
      organizations.set(service.organization.id, service.organization);
    }
  }
  built = {
    agencies,
    services,
    organizations: [...organizations.values()],
    entities,
    resolver: resolver.toJSON(),
  };
  return built;
}

export interface Served {
  url: (path: string) => string;
  instance: Instance;
  server: RunningServer;
  directory: Directory;
  close(): Promise<void>;
}

/**
 * A server with the directory app over `directory`; `build` says which assets are
 * materialized before it starts (`none`, the directory alone, or both).
 */
export async function serveDirectory(
  directory: Directory,
  build: 'none' | 'directory' | 'all' = 'all',
): Promise<Served> {
  const directoryAsset = asset({
    key: 'directory',
    materialize: () => directory,
  });
  const searchIndexAsset = asset({
    key: 'search_index',
    io: 'files',
    ins: { directory: directoryAsset },
    materialize: async (ctx, { directory }) => {
      await mkdir(ctx.outputPath);
      const index = SearchIndex.create(join(ctx.outputPath, INDEX_FILE));
      index.upsert(
        (directory as Directory).services.map(({ entityId, ...mapped }) => ({
          ...mapped,
          clusterId: entityId,
        })),
      );
      index.close();
    },
  });
  const project = defineProject({
    assets: [directoryAsset, searchIndexAsset],
    apps: [createDirectoryApp()],
  });
  const dir = mkdtempSync(join(tmpdir(), 'weir-directory-app-'));
  const instance = openInstance({ dir: join(dir, '.weir') });
  if (build !== 'none') {
    await materialize(project, {
      instance,
      selection: build === 'all' ? '*' : 'directory',
    });
  }
  const server = await startServer({ project, instance, port: 0, log: () => {} });
  const root = server.url.replace(/\/$/, '');
  return {
    url: (path) => `${root}/apps/directory${path}`,
    instance,
    server,
    directory,
    async close() {
      await server.close();
      await instance.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
