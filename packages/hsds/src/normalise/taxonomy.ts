// AIRS/211 taxonomy codes as the exports list them ("BD-1800.2000; RX-8450.7000-700 *
// YS-2000.9500"), paired with the export's own terms, into HSDS `taxonomy_term` rows. Only codes
// found in the data become rows: the AIRS taxonomy itself is proprietary and is not shipped.
import type { HsdsTaxonomyTermFields } from './hsds-fields.js';
import { stableId } from './stable-id.js';

/** The `taxonomy` value of the rows unless told otherwise. */
export const AIRS_TAXONOMY = 'AIRS/211 Taxonomy';

// A level-one letter, a level-two letter, then -NNNN, .NNNN, -NNN and .NN for levels 3 to 6.
const AIRS_CODE = /^[A-Z]{1,2}(?:-\d{4}(?:\.\d{4}(?:-\d{3}(?:\.\d{2})?)?)?)?$/;

/** True for the shape of an AIRS/211 code: `B`, `BD`, `BD-1800`, `BD-1800.2000`,
 * `BD-1800.2000-800`, `RP-1400.8000-020.15`. */
export function isAirsCode(code: string): boolean {
  return AIRS_CODE.test(code);
}

/** The code one level up (`BD-1800.2000` → `BD-1800`, `BD` → `B`); undefined at the top. */
export function parentCode(code: string): string | undefined {
  if (!isAirsCode(code) || code.length === 1) return undefined;
  const cut = Math.max(code.lastIndexOf('.'), code.lastIndexOf('-'));
  return cut > 0 ? code.slice(0, cut) : code.slice(0, 1);
}

const ids = new Map<string, string>();

/** The id of a code's row: the same code always gives the same id. */
export function taxonomyTermId(code: string): string {
  let id = ids.get(code);
  if (id === undefined) {
    id = stableId(`taxonomy_term/${code}`);
    // Codes are few (the taxonomy has some thousands): remembering them spares the hashing.
    if (ids.size < 100_000) ids.set(code, id);
  }
  return id;
}

export interface TaxonomyOptions {
  /** The export's term names in the order of its codes ("Food Pantries; Soup Kitchens"). */
  terms?: string;
  /** The export's full-path terms in the same order ("Basic Needs - Food - Emergency Food -
   * Food Pantries; …"): each row's description, and its name when `terms` is not given. */
  paths?: string;
  /** The rows' `taxonomy`; `AIRS_TAXONOMY` by default. */
  taxonomy?: string;
  /** The export's field width: a codes, terms or paths text this long was cut short, so its
   * last entry is not used (a cut code may still look like a valid, shorter one). 255 by
   * default, as iCarol/ReferNET exports cut them; 0 for none. */
  fieldWidth?: number;
}

export interface TaxonomyParse {
  /** One row per distinct code, in the order first met. A code without a term of its own is
   * named by its code and has an empty description. */
  terms: HsdsTaxonomyTermFields[];
  /** Target combinations ("service * target population"): the ids of their codes, in order. */
  combinations: string[][];
  /** Pieces of the codes field that are not AIRS codes, as written. */
  invalid: string[];
  /** Whether the terms (or paths) could be paired with the codes: only when they are as many as
   * the codes (or fewer, from a text cut at the field's width), since otherwise which term
   * belongs to which code is unknown. */
  paired: boolean;
}

/** Reads an export's taxonomy codes field. Never throws. */
export function parseTaxonomyCodes(codes: string, options: TaxonomyOptions = {}): TaxonomyParse {
  const width = options.fieldWidth ?? 255;
  const invalid: string[] = [];
  const codeList = entriesOf(codes, /[;,\n]/, width);
  if (codeList.cut) invalid.push(`${codeList.cut} (cut short)`);
  const entries = codeList.entries.map((entry) => splitList(entry, /\*/));
  const names = options.terms === undefined ? undefined : entriesOf(options.terms, /[;\n]/, width);
  const paths = options.paths === undefined ? undefined : entriesOf(options.paths, /[;\n]/, width);
  const { pairNames, pairPaths } = pairing(names, paths, entries.length);
  const byCode = new Map<string, HsdsTaxonomyTermFields>();
  const combinations: string[][] = [];
  entries.forEach((entry, i) => {
    const name = pairNames ? names?.entries[i] : undefined;
    const path = pairPaths ? paths?.entries[i] : undefined;
    const nameParts = name ? splitList(name, /\*/) : [];
    const pathParts = path ? splitList(path, /\*/) : [];
    const ids: string[] = [];
    entry.forEach((code, k) => {
      if (!isAirsCode(code)) {
        invalid.push(code);
        return;
      }
      ids.push(taxonomyTermId(code));
      const path = pathParts[k];
      const name = nameParts[k] ?? (path ? leafOf(path) : undefined);
      const known = byCode.get(code);
      if (known) {
        if (known.name === code && name) known.name = name;
        if (!known.description && path) known.description = path;
        return;
      }
      byCode.set(code, {
        id: taxonomyTermId(code),
        code,
        name: name ?? code,
        description: path ?? '',
        taxonomy: options.taxonomy ?? AIRS_TAXONOMY,
      });
    });
    if (entry.length > 1 && ids.length === entry.length) combinations.push(ids);
  });
  return {
    terms: [...byCode.values()],
    combinations,
    invalid,
    paired: (pairNames || pairPaths) && entries.length > 0,
  };
}

interface Entries {
  entries: string[];
  /** The last entry, left out because the text fills the field's width. */
  cut?: string;
}

function entriesOf(text: string, separator: RegExp, width: number): Entries {
  const entries = splitList(text, separator);
  if (width > 0 && text.length >= width && entries.length > 0) {
    return { entries: entries.slice(0, -1), cut: entries.at(-1)! };
  }
  return { entries };
}

// A list pairs with the codes when it has as many entries and was not cut. A list cut short
// still describes the codes its entries reach, provided the other list pairs and agrees with
// it entry by entry (each name the last part of its path); otherwise a code without a term
// would shift every term after it. Two full lists that disagree pair neither.
function pairing(
  names: Entries | undefined,
  paths: Entries | undefined,
  codes: number,
): { pairNames: boolean; pairPaths: boolean } {
  const exact = (list: Entries | undefined) =>
    list !== undefined && !list.cut && list.entries.length === codes;
  const agree =
    names !== undefined &&
    paths !== undefined &&
    names.entries.every(
      (name, i) => i >= paths.entries.length || sameLeaf(name, paths.entries[i]!),
    );
  const namesExact = exact(names);
  const pathsExact = exact(paths);
  if (namesExact && pathsExact) return { pairNames: agree, pairPaths: agree };
  if (namesExact)
    return {
      pairNames: true,
      pairPaths: paths !== undefined && agree && paths.entries.length <= codes,
    };
  if (pathsExact)
    return {
      pairNames: names !== undefined && agree && names.entries.length <= codes,
      pairPaths: true,
    };
  return { pairNames: false, pairPaths: false };
}

function splitList(text: string, separator: RegExp): string[] {
  return text
    .split(separator)
    .map((s) => s.replace(/\s+/g, ' ').trim())
    .filter((s) => s !== '');
}

// The services' part only: names leave out the target population that paths add ("Eye Surgery"
// and "… - Eye Surgery * Low Income").
function sameLeaf(name: string, path: string): boolean {
  const service = (text: string) => leafOf(text.split('*')[0]!);
  return service(name) === service(path);
}

/** "Basic Needs - Food - Emergency Food - Food Pantries" → "Food Pantries". */
function leafOf(path: string): string {
  return path.split(' - ').at(-1)!.trim();
}

/**
 * The taxonomy terms of a whole export, merged record by record: each code once, its name from
 * the first record that pairs one, and `parent_id` set where the code one level up is in the
 * set too (never pointing at a row that does not exist). Codes named differently by different
 * records are listed in `conflicts()`.
 */
export class TaxonomyTermSet {
  readonly #terms = new Map<string, HsdsTaxonomyTermFields>();
  readonly #names = new Map<string, Set<string>>();

  add(parse: TaxonomyParse): void {
    for (const term of parse.terms) {
      const known = this.#terms.get(term.code);
      if (term.name !== term.code) {
        const names = this.#names.get(term.code) ?? new Set<string>();
        names.add(term.name);
        this.#names.set(term.code, names);
      }
      if (!known) this.#terms.set(term.code, { ...term });
      else {
        if (known.name === known.code && term.name !== term.code) known.name = term.name;
        if (!known.description && term.description) known.description = term.description;
      }
    }
  }

  /** The rows, sorted by code, with `parent_id` where the parent is present. */
  rows(): HsdsTaxonomyTermFields[] {
    return [...this.#terms.values()]
      .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))
      .map((term) => {
        const parent = parentCode(term.code);
        return parent && this.#terms.has(parent)
          ? { ...term, parent_id: taxonomyTermId(parent) }
          : { ...term };
      });
  }

  /** Codes that records name differently, with every name seen. */
  conflicts(): { code: string; names: string[] }[] {
    return [...this.#names]
      .filter(([, names]) => names.size > 1)
      .map(([code, names]) => ({ code, names: [...names] }));
  }
}
