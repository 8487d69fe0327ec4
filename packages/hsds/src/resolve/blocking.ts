// Blocking keys: two records are compared only when they share a key whose block is small
// enough. A block larger than the cap (a word such as `county`, a statewide hotline) tells
// too little to be worth its pairs and is skipped; rare name words remain.
import type { PreparedRecord } from './features.js';
import { geoCells } from './geo.js';

export interface BlockingOptions {
  /** Blocks with more records than this are not used (default 64). */
  maxBlockSize: number;
  /** Grid cell size in degrees for the place keys (default 0.005°, about 550 m of latitude). */
  cellDegrees: number;
}

export const DEFAULT_BLOCKING: Readonly<BlockingOptions> = Object.freeze({
  maxBlockSize: 64,
  cellDegrees: 0.005,
});

/**
 * The keys of a record: each name word of three letters or more (`w:`), the first eight
 * letters of the name run together (`n:`, for names split or joined differently), each phone
 * (`p:`), street number with ZIP code and with street (`a:`), the place's grid cells (`g:`)
 * and the website's domain (`d:`).
 */
export function blockingKeys(r: PreparedRecord, options: BlockingOptions): string[] {
  const keys = new Set<string>();
  for (const t of r.tokens) if (t.length >= 3) keys.add(`w:${t}`);
  for (const name of r.names) keys.add(`n:${name.replace(/ /g, '').slice(0, 8)}`);
  for (const p of r.phones) keys.add(`p:${p}`);
  const { number, street, postal } = r.address;
  if (number && postal) keys.add(`a:${number}|${postal}`);
  if (number && street) keys.add(`a:${number}|${street}`);
  if (r.point)
    for (const c of geoCells(r.point.lat, r.point.lon, options.cellDegrees)) keys.add(`g:${c}`);
  if (r.domain) keys.add(`d:${r.domain}`);
  return [...keys].sort();
}
