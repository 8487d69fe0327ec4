// One pair of records compared feature by feature: each comparison's outcome, its weight, and
// their sum. Pure and symmetric: the same two records always give the same result. Scoring
// without the evidence (for the many pairs that do not match) builds no text.
import type { AddressKey } from './address.js';
import type { PreparedRecord } from './features.js';
import { haversineMetres } from './geo.js';
import { jaroWinkler, sortedTokenSimilarity } from './similarity.js';
import type { MatchWeights } from './weights.js';

export type Feature =
  | 'name'
  | 'place'
  | 'address'
  | 'postal'
  | 'city'
  | 'phone'
  | 'distance'
  | 'domain';

/** What one comparison found: `name: close (0.94)`, and the weight it added. */
export interface Evidence {
  feature: Feature;
  outcome: string;
  weight: number;
}

export interface PairScore {
  score: number;
  evidence: Evidence[];
}

/**
 * The best similarity of any name of one with any name of the other, and whether two are
 * equal. When both name a service of their own, only the service names count (each alone, or
 * with the other's organisation name before it): two programmes of one organisation are two
 * services, however equal, or however long, the organisation's name.
 */
export function nameSimilarity(
  a: PreparedRecord,
  b: PreparedRecord,
): { exact: boolean; similarity: number } {
  let best = 0;
  const services = a.namesService && b.namesService;
  const from = services ? 1 : 0;
  for (let i = from; i < a.names.length; i++) {
    for (let j = from; j < b.names.length; j++) {
      if (services && i === 2 && j === 2) continue;
      const na = a.names[i]!;
      const nb = b.names[j]!;
      if (na === '' || nb === '') continue;
      if (na === nb) return { exact: true, similarity: 1 };
      const ta = a.nameTokens[i]!;
      const tb = b.nameTokens[j]!;
      let s = sortedTokenSimilarity(ta, tb);
      // Jaro-Winkler rewards a shared prefix, which long names of one county all have; it
      // decides only between short names (`ymca` and `y m c a`, `foodbank` and `food bank`).
      if (ta.length <= 2 && tb.length <= 2) s = Math.max(s, jaroWinkler(na, nb));
      if (s > best) best = s;
    }
  }
  return { exact: false, similarity: best };
}

type AddressOutcome = 'same' | 'same street' | 'other unit' | 'different';

export function compareAddresses(a: AddressKey, b: AddressKey): AddressOutcome | undefined {
  if (!a.street || !b.street || Boolean(a.postalOnly) !== Boolean(b.postalOnly)) return undefined;
  if (a.number !== b.number) return 'different';
  if (a.street !== b.street && jaroWinkler(a.street, b.street) < 0.93) return 'different';
  if (a.unit && b.unit) return a.unit === b.unit ? 'same' : 'other unit';
  return a.unit || b.unit ? 'same street' : 'same';
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** Where a comparison's outcomes go: their weights always, their text when explaining. */
interface Tally {
  score: number;
  lowest: number;
  /** Some evidence beyond the name agrees (a place, a phone, a website): a name alone never links. */
  corroborated: boolean;
  evidence?: Evidence[];
}

/** Outcomes that say the two records are one place or one line, not just one name. */
const CORROBORATING: ReadonlySet<Feature> = new Set(['address', 'phone', 'distance', 'domain']);

function note(t: Tally, feature: Feature, weight: number, outcome: string): void {
  t.score += weight;
  if (weight < t.lowest) t.lowest = weight;
  if (weight > 0 && CORROBORATING.has(feature)) t.corroborated = true;
  t.evidence?.push({ feature, outcome, weight });
}

function compare(a: PreparedRecord, b: PreparedRecord, w: MatchWeights, t: Tally): void {
  const explain = t.evidence !== undefined;
  const name = nameSimilarity(a, b);
  const s = explain ? ` (${round2(name.similarity)})` : '';
  if (name.exact) note(t, 'name', w.nameExact, 'exact');
  else if (name.similarity >= 0.92) note(t, 'name', w.nameClose, `close${s}`);
  else if (name.similarity >= 0.8) note(t, 'name', w.nameSimilar, `similar${s}`);
  else note(t, 'name', w.nameDifferent, `different${s}`);

  // One says where the service is and the other does not: the same organisation perhaps, but
  // not the same service at a place, and a link between them would chain every place it has.
  if (a.place !== b.place) note(t, 'place', w.placeOneSided, 'given by one only');

  const address = compareAddresses(a.address, b.address);
  if (address === 'same') note(t, 'address', w.addressSame, 'same');
  else if (address === 'same street') {
    note(t, 'address', w.addressSameStreet, 'same street, one unit');
  } else if (address === 'other unit') note(t, 'address', w.addressOtherUnit, 'other unit');
  else if (address === 'different') note(t, 'address', w.addressDifferent, 'different');

  const pa = a.address.postal;
  const pb = b.address.postal;
  if (pa && pb) {
    if (pa === pb) {
      note(t, 'postal', w.postalSame, 'same');
      // An exact name in the same ZIP code is one place's listing twice (the WA 211 set's
      // copies without a street); a name alone, anywhere, is not.
      if (name.exact) t.corroborated = true;
    } else note(t, 'postal', w.postalDifferent, 'different');
  } else if (a.address.city && b.address.city) {
    if (a.address.city === b.address.city) note(t, 'city', w.citySame, 'same');
    else note(t, 'city', w.cityDifferent, 'different');
  }

  if (a.phones.length && b.phones.length) {
    if (a.phones.some((p) => b.phones.includes(p))) note(t, 'phone', w.phoneShared, 'shared');
    else note(t, 'phone', w.phoneDifferent, 'different');
  }

  if (a.point && b.point) {
    const d = haversineMetres(a.point.lat, a.point.lon, b.point.lat, b.point.lon);
    const at = explain ? `${Math.round(d)} m` : '';
    if (d <= 50) note(t, 'distance', w.distanceNear, at);
    else if (d <= 250) note(t, 'distance', w.distanceClose, at);
    else if (d > 2000) note(t, 'distance', w.distanceFar, at);
  }

  if (a.domain && b.domain) {
    if (a.domain === b.domain) note(t, 'domain', w.domainSame, 'same');
    else note(t, 'domain', w.domainDifferent, 'different');
  }
  // One agency listing one name twice with nothing else on either record is one listing twice;
  // two agencies' bare "Food Pantry" are not known to be one.
  if (name.exact && a.record.source.agency === b.record.source.agency && bare(a) && bare(b)) {
    t.corroborated = true;
  }
}

/** A record that says nothing but its name: no street, no place, no phone, no website. */
function bare(r: PreparedRecord): boolean {
  return !r.address.street && !r.place && r.phones.length === 0 && r.domain === undefined;
}

/** The pair's score with the evidence for it. */
export function scorePair(a: PreparedRecord, b: PreparedRecord, w: MatchWeights): PairScore {
  const t: Tally = { score: 0, lowest: 0, corroborated: false, evidence: [] };
  compare(a, b, w, t);
  return { score: t.score, evidence: t.evidence! };
}

/**
 * The pair's score, its lowest single weight (0 when none is negative) and whether anything
 * beyond the name agrees, without evidence.
 */
export function quickScore(
  a: PreparedRecord,
  b: PreparedRecord,
  w: MatchWeights,
): { score: number; lowest: number; corroborated: boolean } {
  const t: Tally = { score: 0, lowest: 0, corroborated: false };
  compare(a, b, w, t);
  return t;
}

/** Whether a pair links: its score reaches the threshold and more than its name agrees. */
export function isMatch(
  a: PreparedRecord,
  b: PreparedRecord,
  w: MatchWeights,
  threshold: number,
): boolean {
  const q = quickScore(a, b, w);
  return q.corroborated && q.score >= threshold;
}
