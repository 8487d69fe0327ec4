// One pair of records compared feature by feature: each comparison's outcome, its weight, and
// their sum. Pure and symmetric: the same two records always give the same result.
import type { AddressKey } from './address.js';
import type { PreparedRecord } from './features.js';
import { haversineMetres } from './geo.js';
import { jaroWinkler, tokenSetSimilarity } from './similarity.js';
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

/** The best similarity of any name of one with any name of the other, and whether two are equal. */
export function nameSimilarity(
  a: PreparedRecord,
  b: PreparedRecord,
): { exact: boolean; similarity: number } {
  let best = 0;
  for (let i = 0; i < a.names.length; i++) {
    for (let j = 0; j < b.names.length; j++) {
      const na = a.names[i]!;
      const nb = b.names[j]!;
      if (na === nb) return { exact: true, similarity: 1 };
      const ta = a.nameTokens[i]!;
      const tb = b.nameTokens[j]!;
      let s = tokenSetSimilarity(ta, tb);
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
  const streetAgrees = a.street === b.street || jaroWinkler(a.street, b.street) >= 0.93;
  if (a.number !== b.number || !streetAgrees) return 'different';
  if (a.unit && b.unit) return a.unit === b.unit ? 'same' : 'other unit';
  return a.unit || b.unit ? 'same street' : 'same';
}

const round2 = (x: number) => Math.round(x * 100) / 100;

export function scorePair(a: PreparedRecord, b: PreparedRecord, w: MatchWeights): PairScore {
  const evidence: Evidence[] = [];
  const add = (feature: Feature, outcome: string, weight: number) => {
    evidence.push({ feature, outcome, weight });
  };

  const name = nameSimilarity(a, b);
  if (name.exact) add('name', 'exact', w.nameExact);
  else if (name.similarity >= 0.92) add('name', `close (${round2(name.similarity)})`, w.nameClose);
  else if (name.similarity >= 0.8)
    add('name', `similar (${round2(name.similarity)})`, w.nameSimilar);
  else add('name', `different (${round2(name.similarity)})`, w.nameDifferent);

  // One says where the service is and the other does not: the same organisation perhaps, but
  // not the same service at a place, and a link between them would chain every place it has.
  if (a.place !== b.place) add('place', 'given by one only', w.placeOneSided);

  const address = compareAddresses(a.address, b.address);
  if (address === 'same') add('address', 'same', w.addressSame);
  else if (address === 'same street') add('address', 'same street, one unit', w.addressSameStreet);
  else if (address === 'other unit') add('address', 'other unit', w.addressOtherUnit);
  else if (address === 'different') add('address', 'different', w.addressDifferent);

  const pa = a.address.postal;
  const pb = b.address.postal;
  if (pa && pb)
    add('postal', pa === pb ? 'same' : 'different', pa === pb ? w.postalSame : w.postalDifferent);
  else if (a.address.city && b.address.city) {
    const same = a.address.city === b.address.city;
    add('city', same ? 'same' : 'different', same ? w.citySame : w.cityDifferent);
  }

  if (a.phones.length && b.phones.length) {
    const shared = a.phones.some((p) => b.phones.includes(p));
    add('phone', shared ? 'shared' : 'different', shared ? w.phoneShared : w.phoneDifferent);
  }

  if (a.point && b.point) {
    const d = haversineMetres(a.point.lat, a.point.lon, b.point.lat, b.point.lon);
    const at = `${Math.round(d)} m`;
    if (d <= 50) add('distance', at, w.distanceNear);
    else if (d <= 250) add('distance', at, w.distanceClose);
    else if (d > 2000) add('distance', at, w.distanceFar);
  }

  if (a.domain && b.domain) {
    const same = a.domain === b.domain;
    add('domain', same ? 'same' : 'different', same ? w.domainSame : w.domainDifferent);
  }

  let score = 0;
  for (const e of evidence) score += e.weight;
  return { score, evidence };
}
