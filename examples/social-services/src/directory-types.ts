/**
 * The merged directory's shape: every agency's services, each tied to the entity it was
 * resolved into, with what built each agency's part. The directory asset produces it; the
 * search index and the HSDS API read it.
 */
import type { MappedService, Organization, ResolvedCluster, ResolverState } from '@weir/hsds';

export interface DirectoryService extends MappedService {
  /** The entity the service was resolved into: services of several agencies that are the same thing at the same place share it. */
  entityId: string;
}

export interface DirectoryAgency {
  /** The export's SHA-256 (the feed's data version) that built this part. */
  exportVersion: string;
  /** The hash of the agency's HSDS services: unchanged means nothing to redo. */
  contentVersion: string;
  file: string;
  layout: string;
  services: number;
}

export interface Directory {
  agencies: Record<string, DirectoryAgency>;
  /** Ordered by agency, then by the line of the record. */
  services: DirectoryService[];
  /** Each organization once (by id). */
  organizations: Organization[];
  /** Entities listed more than once (by several agencies, or twice by one): members, links, evidence. */
  entities: ResolvedCluster[];
  /** The entity resolver's state, so the next version re-scores only what changed. */
  resolver: ResolverState;
}
