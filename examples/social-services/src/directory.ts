/**
 * `directory`: every agency's last good HSDS merged, with the services that several agencies
 * (or one, twice) list resolved into entities. Incremental: an agency whose services did not
 * change since the previous version is taken as it was, and only the changed agencies' records
 * are re-scored by the entity resolver, whose state the previous version kept. A blocked
 * agency's partition is not read: its last good version stays in the directory.
 */
import {
  EntityResolver,
  type MappedService,
  resolvableFromService,
  uniqueOrganizations,
} from '@weir/hsds';
import { asset, eager, many } from 'weir';
import type { Directory, DirectoryAgency, DirectoryService } from './directory-types.js';
import { type AgencyHsds, hsds } from './hsds.js';
import { sameCodePrevious } from './previous.js';

export const directory = asset({
  key: 'directory',
  group: 'directory',
  kinds: ['hsds'],
  description:
    'All agencies merged: HSDS services with the entity each was resolved into, and the evidence',
  ins: { agencies: many(hsds, { lastGood: true }) },
  automation: eager(),
  materialize: async (ctx, { agencies }): Promise<Directory> => {
    const previous = await sameCodePrevious<Directory>(ctx);
    const resolver =
      previous === undefined ? new EntityResolver() : EntityResolver.fromJSON(previous.resolver);
    const byAgency = new Map<string, MappedService[]>();
    const parts: Record<string, DirectoryAgency> = {};
    let changed = 0;
    let pairsScored = 0;
    for (const [agency, value] of [...agencies].sort(([a], [b]) => a.localeCompare(b))) {
      parts[agency] = partOf(value);
      const before = previous?.agencies[agency];
      if (before?.contentVersion === value.contentVersion) {
        byAgency.set(
          agency,
          previous!.services.filter((s) => s.source.agency === agency),
        );
        continue;
      }
      changed++;
      byAgency.set(agency, value.services);
      pairsScored += resolver.replaceAgency(
        agency,
        value.services.flatMap(resolvableFromService),
      ).pairsScored;
    }
    for (const agency of Object.keys(previous?.agencies ?? {})) {
      if (agencies.has(agency)) continue;
      changed++;
      resolver.replaceAgency(agency, []);
    }
    const entities = resolver.clusters();
    const entityOf = new Map<string, string>();
    for (const entity of entities) {
      for (const member of entity.members) entityOf.set(serviceIdOf(member.id), entity.id);
    }
    const services: DirectoryService[] = [];
    for (const list of byAgency.values()) {
      for (const service of list) {
        const { entityId: _, ...mapped } = service as DirectoryService;
        services.push({
          ...mapped,
          entityId: entityOf.get(service.service.id) ?? service.service.id,
        });
      }
    }
    ctx.addMetadata({
      agencies: Object.keys(parts).length,
      agenciesRedone: changed,
      services: services.length,
      entitiesMerged: entities.length,
      servicesMerged: entities.reduce((n, e) => n + e.members.length, 0),
      pairsScored,
      incremental: previous !== undefined,
    });
    return {
      agencies: parts,
      services,
      organizations: uniqueOrganizations(services),
      entities,
      resolver: resolver.toJSON(),
    };
  },
});

function partOf(value: AgencyHsds): DirectoryAgency {
  return {
    exportVersion: value.exportVersion,
    contentVersion: value.contentVersion,
    file: value.file,
    layout: value.layout,
    services: value.services.length,
  };
}

/** A resolvable record's id is `<service id>@<location id>`, or the service id alone. */
function serviceIdOf(recordId: string): string {
  const at = recordId.indexOf('@');
  return at < 0 ? recordId : recordId.slice(0, at);
}
