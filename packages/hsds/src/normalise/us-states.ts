// US states, the District of Columbia, territories and the armed forces' postal "states", by
// USPS code, with the names and abbreviations agencies write for them.

const STATES: Record<string, readonly string[]> = {
  AL: ['Alabama', 'Ala'],
  AK: ['Alaska'],
  AZ: ['Arizona', 'Ariz'],
  AR: ['Arkansas', 'Ark'],
  CA: ['California', 'Calif', 'Cal'],
  CO: ['Colorado', 'Colo'],
  CT: ['Connecticut', 'Conn'],
  DE: ['Delaware', 'Del'],
  DC: ['District of Columbia', 'Washington DC', 'Washington D.C.', 'D.C.'],
  FL: ['Florida', 'Fla'],
  GA: ['Georgia'],
  HI: ['Hawaii'],
  ID: ['Idaho'],
  IL: ['Illinois', 'Ill'],
  IN: ['Indiana', 'Ind'],
  IA: ['Iowa'],
  KS: ['Kansas', 'Kan', 'Kans'],
  KY: ['Kentucky', 'Ky'],
  LA: ['Louisiana'],
  ME: ['Maine'],
  MD: ['Maryland', 'Md'],
  MA: ['Massachusetts', 'Mass'],
  MI: ['Michigan', 'Mich'],
  MN: ['Minnesota', 'Minn'],
  MS: ['Mississippi', 'Miss'],
  MO: ['Missouri'],
  MT: ['Montana', 'Mont'],
  NE: ['Nebraska', 'Neb', 'Nebr'],
  NV: ['Nevada', 'Nev'],
  NH: ['New Hampshire', 'N.H.'],
  NJ: ['New Jersey', 'N.J.'],
  NM: ['New Mexico', 'N.M.', 'N. Mex'],
  NY: ['New York', 'N.Y.'],
  NC: ['North Carolina', 'N.C.'],
  ND: ['North Dakota', 'N.D.', 'N. Dak'],
  OH: ['Ohio'],
  OK: ['Oklahoma', 'Okla'],
  OR: ['Oregon', 'Ore', 'Oreg'],
  PA: ['Pennsylvania', 'Penn', 'Penna', 'Pa'],
  RI: ['Rhode Island', 'R.I.'],
  SC: ['South Carolina', 'S.C.'],
  SD: ['South Dakota', 'S.D.', 'S. Dak'],
  TN: ['Tennessee', 'Tenn'],
  TX: ['Texas', 'Tex'],
  UT: ['Utah'],
  VT: ['Vermont', 'Vt'],
  VA: ['Virginia', 'Va'],
  WA: ['Washington', 'Wash'],
  WV: ['West Virginia', 'W. Va', 'W.Va.', 'W.V.'],
  WI: ['Wisconsin', 'Wis', 'Wisc'],
  WY: ['Wyoming', 'Wyo'],
  AS: ['American Samoa'],
  GU: ['Guam'],
  MP: ['Northern Mariana Islands', 'Northern Marianas'],
  PR: ['Puerto Rico', 'P.R.'],
  VI: ['U.S. Virgin Islands', 'US Virgin Islands', 'Virgin Islands'],
  AA: ['Armed Forces Americas'],
  AE: ['Armed Forces Europe'],
  AP: ['Armed Forces Pacific'],
};

const key = (name: string) =>
  name
    .toLowerCase()
    .replace(/[.\s]+/g, ' ')
    .trim();

const BY_NAME = new Map<string, string>();
for (const [code, names] of Object.entries(STATES)) {
  BY_NAME.set(key(code), code);
  for (const name of names) BY_NAME.set(key(name), code);
}

/** Every name and abbreviation, longest first: for finding one at the end of a line. */
export const STATE_NAMES: readonly string[] = [...BY_NAME.keys()].sort(
  (a, b) => b.length - a.length,
);

/** The two-letter USPS code of a state's code, name or usual abbreviation, in any case and
 * with or without dots ("wa", "Washington", "Wash.", "D.C."); undefined if it names none. */
export function stateCode(text: string): string | undefined {
  return BY_NAME.get(key(text.replace(/\.$/, '')));
}
