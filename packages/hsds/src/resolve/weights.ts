// How much each outcome of each comparison counts, in bits: roughly log2 of how much more often
// the outcome is seen between two records of the same service at the same place than between
// two records picked at random (Fellegi-Sunter's m/u ratio). The values are set by hand from
// those ratios as estimated on the Washington 211 set's tuning half and on what the
// agencies' exports hold; README "Entity resolution" explains them.

export interface MatchWeights {
  /** Normalised names equal. */
  nameExact: number;
  /** Name similarity ≥ 0.92 (a typo, a plural, a word more or less in a long name). */
  nameClose: number;
  /** Name similarity ≥ 0.8. */
  nameSimilar: number;
  /** Names less similar than that. */
  nameDifferent: number;
  /** One record gives a place (a physical address or coordinates), the other none. */
  placeOneSided: number;
  /** Same street number, street and unit. */
  addressSame: number;
  /** Same street number and street, one side giving a unit the other does not. */
  addressSameStreet: number;
  /** Same street number and street, different units (two suites of one building). */
  addressOtherUnit: number;
  /** Different street number or street. */
  addressDifferent: number;
  postalSame: number;
  postalDifferent: number;
  /** City compared only when a ZIP code is missing on either side. */
  citySame: number;
  cityDifferent: number;
  /** At least one phone number in common. */
  phoneShared: number;
  /** Both have numbers, none in common. */
  phoneDifferent: number;
  /** Within 50 m. */
  distanceNear: number;
  /** Within 250 m. */
  distanceClose: number;
  /** More than 2 km apart. */
  distanceFar: number;
  domainSame: number;
  domainDifferent: number;
}

export const DEFAULT_WEIGHTS: Readonly<MatchWeights> = Object.freeze({
  nameExact: 8,
  nameClose: 6,
  nameSimilar: 1,
  nameDifferent: -8,
  placeOneSided: -8,
  addressSame: 8,
  addressSameStreet: 6,
  addressOtherUnit: -8,
  addressDifferent: -7,
  postalSame: 1,
  postalDifferent: -4,
  citySame: 0.5,
  cityDifferent: -3,
  phoneShared: 6,
  phoneDifferent: -1.5,
  distanceNear: 4,
  distanceClose: 2,
  distanceFar: -5,
  domainSame: 3,
  domainDifferent: -1,
});

/** A pair whose weights add up to at least this is a match. */
export const DEFAULT_THRESHOLD = 8;

/** An outcome weighing this or less keeps two records out of one cluster. */
export const DEFAULT_VETO = -4;
