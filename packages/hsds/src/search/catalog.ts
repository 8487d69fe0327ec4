// What the filters and facets need of every record, held in memory by rowid: whether it is
// offered in search, its cluster, its taxonomy codes and its points. Read once after each write
// (like the vocabulary), so that a search filters and counts tens of thousands of matches in
// JavaScript without a row lookup each.
import type Database from 'better-sqlite3';
import { boundingBox, haversineKm } from './geo.js';
import type { FacetCount, NearFilter } from './types.js';

export class Catalog {
  /** Every rowid, ascending. */
  readonly rowids: Int32Array;
  private readonly searchable: Uint8Array;
  private readonly clusters = new Map<number, string>();
  private readonly codes: string[] = [];
  private readonly names: string[] = [];
  /** The codes of rowid r are `items[start[r]] … items[start[r + 1] - 1]` (indices into `codes`). */
  private readonly start: Int32Array;
  private readonly items: Int32Array;
  /** The points of rowid r are `lat[i]`, `lon[i]` for i in `pointStart[r] … pointStart[r + 1] - 1`. */
  private readonly pointStart: Int32Array;
  private readonly lat: Float64Array;
  private readonly lon: Float64Array;

  constructor(db: Database.Database) {
    const rows = db
      .prepare('SELECT rowid, searchable, cluster_id FROM services ORDER BY rowid')
      .raw(true)
      .all() as [number, number, string | null][];
    const size = (rows.at(-1)?.[0] ?? 0) + 2;
    this.rowids = Int32Array.from(rows, (r) => r[0]);
    this.searchable = new Uint8Array(size);
    for (const [rowid, searchable, cluster] of rows) {
      this.searchable[rowid] = searchable;
      if (cluster !== null) this.clusters.set(rowid, cluster);
    }
    const terms = db
      .prepare('SELECT service, code, name FROM terms ORDER BY service, code')
      .raw(true)
      .all() as [number, string, string][];
    const index = new Map<string, number>();
    this.start = new Int32Array(size + 1);
    this.items = new Int32Array(terms.length);
    for (const [service] of terms) this.start[service + 1]!++;
    for (let r = 1; r <= size; r++) this.start[r]! += this.start[r - 1]!;
    terms.forEach(([, code, name], i) => {
      let c = index.get(code);
      if (c === undefined) {
        c = this.codes.length;
        index.set(code, c);
        this.codes.push(code);
        this.names.push(name);
      }
      this.items[i] = c;
    });
    const points = db
      .prepare('SELECT service, latitude, longitude FROM points ORDER BY service, rowid')
      .raw(true)
      .all() as [number, number, number][];
    this.pointStart = new Int32Array(size + 1);
    this.lat = new Float64Array(points.length);
    this.lon = new Float64Array(points.length);
    for (const [service] of points) this.pointStart[service + 1]!++;
    for (let r = 1; r <= size; r++) this.pointStart[r]! += this.pointStart[r - 1]!;
    points.forEach(([, lat, lon], i) => {
      this.lat[i] = lat;
      this.lon[i] = lon;
    });
  }

  /** A test of whether a record has a point within the circle: its box first, then haversine. */
  within(near: NearFilter): (rowid: number) => boolean {
    const b = boundingBox(near.latitude, near.longitude, near.radiusKm);
    return (rowid) => {
      for (let i = this.pointStart[rowid]!; i < this.pointStart[rowid + 1]!; i++) {
        const lat = this.lat[i]!;
        const lon = this.lon[i]!;
        if (lat < b.minLat || lat > b.maxLat || lon < b.minLon || lon > b.maxLon) continue;
        if (haversineKm(near.latitude, near.longitude, lat, lon) <= near.radiusKm) return true;
      }
      return false;
    };
  }

  /** The distance from a point to the nearest of a record's points, if it has any. */
  distanceKm(rowid: number, latitude: number, longitude: number): number | undefined {
    let best: number | undefined;
    for (let i = this.pointStart[rowid]!; i < this.pointStart[rowid + 1]!; i++) {
      const d = haversineKm(latitude, longitude, this.lat[i]!, this.lon[i]!);
      if (best === undefined || d < best) best = d;
    }
    return best;
  }

  /** One more than the largest rowid: the length of masks by rowid. */
  get size(): number {
    return this.searchable.length;
  }

  readonly isSearchable = (rowid: number): boolean => this.searchable[rowid] === 1;

  cluster(rowid: number): string | undefined {
    return this.clusters.get(rowid);
  }

  /** A test of whether a record holds one of the codes or a code beneath one (by prefix). */
  hasCodeUnder(prefixes: readonly string[]): (rowid: number) => boolean {
    const wanted = new Uint8Array(this.codes.length);
    this.codes.forEach((code, c) => {
      if (prefixes.some((p) => code.startsWith(p))) wanted[c] = 1;
    });
    return (rowid) => {
      for (let i = this.start[rowid]!; i < this.start[rowid + 1]!; i++)
        if (wanted[this.items[i]!] === 1) return true;
      return false;
    };
  }

  /** Taxonomy codes counted over the records, most frequent first (then by code). */
  facets(lists: readonly (readonly number[])[], limit: number): FacetCount[] {
    if (limit <= 0) return [];
    const counts = new Int32Array(this.codes.length);
    for (const rowids of lists) {
      for (const r of rowids) {
        for (let i = this.start[r]!; i < this.start[r + 1]!; i++) counts[this.items[i]!]!++;
      }
    }
    const used: number[] = [];
    counts.forEach((n, c) => {
      if (n > 0) used.push(c);
    });
    used.sort((a, b) => counts[b]! - counts[a]! || (this.codes[a]! < this.codes[b]! ? -1 : 1));
    return used
      .slice(0, limit)
      .map((c) => ({ code: this.codes[c]!, name: this.names[c]!, count: counts[c]! }));
  }
}
