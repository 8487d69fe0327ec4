/**
 * @module versioning/_code-graph
 * What a function can reach in a project's modules, as named parts with hashes: the function
 * itself, the top-level units it uses (transitively, across imports, re-exports and namespace
 * members), whole modules where finer is not sound, and packages by version.
 */
import {
  type FunctionFact,
  type ImportFact,
  type ModuleFacts,
  own,
  partHash,
  type SpecFact,
  type Use,
} from './_module-facts.js';

/** Where an import specifier of a module leads. */
export type Resolved =
  | { module: string }
  | { package: string; version: string }
  /** Node's built-ins, and anything else not worth a part. */
  | { ignore: true };

export interface CodeModule {
  /** How `why` names it: the source file relative to the project. */
  label: string;
  facts: ModuleFacts;
  /** The compiled text the facts were taken from (functions are found by their text in it). */
  code: string;
}

export interface CodeIndex {
  modules: ReadonlyMap<string, CodeModule>;
  /** Resolves `specifier` imported by module `from` (an id of `modules`). */
  resolve(from: string, specifier: string): Resolved;
}

/** A function whose reach is a part of a code version: `materialize`, or a check's `evaluate`. */
export interface CodeRoot {
  part: string;
  text: string;
  /** The asset's key (or the check's name): of several functions with this text, those written beside it. */
  label?: string;
}

interface Place {
  module: string;
  fact: FunctionFact;
}

/** Where a function's text occurs, and those places by label (computed when first needed). */
interface Located {
  all: Place[];
  byLabel?: Map<string, Place[]>;
  unlabelled?: Place[];
}

/** Parts beyond this many are folded into one part per file (most parts first). */
export const MAX_PARTS = 64;

export class CodeGraph {
  /** Functions by their text (what `fn.toString()` returns), wherever they occur. */
  private readonly functions = new Map<string, Located>();
  /** Asset specs whose `materialize` is an expression, by the key written beside it. */
  private readonly specs = new Map<string, Array<{ module: string; fact: SpecFact }>>();
  private readonly effects = new Map<string, Map<number, number[]>>();
  /** What each use (or `#unit` index) of each module reaches: the same for every root. */
  private readonly closures = new Map<string, Map<string, Array<[string, string]>>>();

  constructor(private readonly index: CodeIndex) {
    for (const [id, { facts, code }] of index.modules) {
      for (const fact of facts.functions) {
        const text = code.slice(fact.start, fact.end);
        const entry = this.functions.get(text);
        if (entry === undefined) this.functions.set(text, { all: [{ module: id, fact }] });
        else entry.all.push({ module: id, fact });
      }
      for (const fact of facts.specs) {
        this.specs.set(fact.label, [...(this.specs.get(fact.label) ?? []), { module: id, fact }]);
      }
    }
  }

  /** A place where a function with this text is, as [module, start, end] (undefined: none). */
  locate(text: string): [string, number, number] | undefined {
    const place = this.functions.get(text)?.all[0];
    return place === undefined ? undefined : [place.module, place.fact.start, place.fact.end];
  }

  /** The parts of a code version reaching from these functions, keyed by what `why` shows. */
  parts(roots: readonly CodeRoot[]): Record<string, string> {
    const parts = new Map<string, string>();
    const add = (module: string, use: string) => {
      for (const [key, value] of this.closure(module, use)) parts.set(key, value);
    };
    for (const root of roots) {
      const found = narrow(this.functions.get(root.text), root.label);
      parts.set(
        root.part,
        found[0] === undefined
          ? `unlocated ${partHash(root.text)}`
          : `function ${found[0].fact.hash}`,
      );
      for (const { module, fact } of found) {
        for (const use of fact.uses) add(module, use);
        if (fact.enclosing) add(module, `#${fact.unit}`);
        if (fact.checks === undefined || root.part !== 'materialize') continue;
        parts.set('checks', `code ${fact.checks.hash}`);
        for (const use of fact.checks.uses) add(module, use);
        if (fact.checks.enclosing) add(module, `#${fact.unit}`);
      }
      if (root.part !== 'materialize' || root.label === undefined) continue;
      for (const { module, fact } of this.specs.get(root.label) ?? []) {
        parts.set('materialize expression', `code ${fact.hash}`);
        for (const use of fact.uses) add(module, use);
        if (fact.enclosing) add(module, `#${fact.unit}`);
        if (fact.checks === undefined) continue;
        parts.set('checks', `code ${fact.checks.hash}`);
        for (const use of fact.checks.uses) add(module, use);
        if (fact.checks.enclosing) add(module, `#${fact.unit}`);
      }
    }
    return fold(parts);
  }

  /** The parts a use of `module` (or `#N`: its unit N) reaches, computed once. */
  private closure(module: string, use: string): Array<[string, string]> {
    const byUse = this.closures.get(module) ?? new Map<string, Array<[string, string]>>();
    this.closures.set(module, byUse);
    let found = byUse.get(use);
    if (found === undefined) {
      const walk = new Walk(this.index, (m) => this.effectsOf(m));
      if (use.startsWith('#')) walk.unit(module, Number(use.slice(1)));
      else walk.use(module, use);
      found = [...walk.parts];
      byUse.set(use, found);
    }
    return found;
  }

  /** For each unit of a module, the top-level statements that mention a name it declares (they may change it). */
  private effectsOf(module: string): Map<number, number[]> {
    let found = this.effects.get(module);
    if (found === undefined) {
      const facts = this.index.modules.get(module)!.facts;
      const byName = new Map<string, number[]>();
      facts.units.forEach((unit, i) => {
        if (unit.kind !== 'statement') return;
        for (const use of unit.uses) {
          const name = use.split('.')[0]!;
          byName.set(name, [...(byName.get(name) ?? []), i]);
        }
      });
      found = new Map();
      for (const [name, unit] of Object.entries(facts.bindings)) {
        const effects = byName.get(name);
        if (effects !== undefined) found.set(unit, [...(found.get(unit) ?? []), ...effects]);
      }
      this.effects.set(module, found);
    }
    return found;
  }
}

class Walk {
  readonly parts = new Map<string, string>();
  private readonly seen = new Set<string>();

  constructor(
    private readonly index: CodeIndex,
    private readonly effectsOf: (module: string) => Map<number, number[]>,
  ) {}

  private once(key: string): boolean {
    if (this.seen.has(key)) return false;
    this.seen.add(key);
    return true;
  }

  private facts(module: string): ModuleFacts {
    return this.index.modules.get(module)!.facts;
  }

  use(module: string, use: Use): void {
    if (use.startsWith('import:')) {
      this.target(module, use.slice(7), '*');
      return;
    }
    const dot = use.indexOf('.');
    const name = dot === -1 ? use : use.slice(0, dot);
    const facts = this.facts(module);
    const unit = own(facts.bindings, name);
    const imported = own(facts.imports, name);
    if (unit !== undefined) this.unit(module, unit);
    else if (imported === undefined) return;
    else if (imported.name === '*' && dot !== -1)
      this.target(module, imported.from, use.slice(dot + 1));
    else this.imported(module, imported);
  }

  private imported(module: string, imported: ImportFact): void {
    this.target(module, imported.from, imported.name);
  }

  /** Export `name` (`*`: every export) of what `specifier` in `module` leads to. */
  private target(module: string, specifier: string, name: string): void {
    const resolved = this.index.resolve(module, specifier);
    if ('package' in resolved) this.parts.set(`package ${resolved.package}`, resolved.version);
    else if ('module' in resolved) {
      if (name === '*') this.whole(resolved.module);
      else this.export(resolved.module, name);
    }
  }

  private export(module: string, name: string): void {
    if (!this.once(`${module}\0export\0${name}`)) return;
    const facts = this.facts(module);
    const found = own(facts.exports, name);
    if (found !== undefined && 'local' in found) this.use(module, found.local);
    else if (found !== undefined) this.imported(module, found);
    // Not its own: it may come through any `export *`.
    else for (const star of facts.stars) this.target(module, star, name);
  }

  unit(module: string, index: number): void {
    if (!this.once(`${module}\0unit\0${index}`)) return;
    const { label, facts } = this.index.modules.get(module)!;
    const unit = facts.units[index]!;
    this.parts.set(`${label}:${unit.label}`, `${unit.kind} ${unit.hash}`);
    for (const use of unit.uses) this.use(module, use);
    for (const effect of this.effectsOf(module).get(index) ?? []) this.unit(module, effect);
  }

  /** Every unit, import and export of a module: a namespace used as a value, `import()`. */
  private whole(module: string): void {
    if (!this.once(`${module}\0whole`)) return;
    const facts = this.facts(module);
    facts.units.forEach((_, i) => {
      this.unit(module, i);
    });
    for (const imported of Object.values(facts.imports)) this.imported(module, imported);
    for (const found of Object.values(facts.exports))
      if (!('local' in found)) this.imported(module, found);
    for (const star of facts.stars) this.target(module, star, '*');
  }
}

/**
 * Where a function's text occurs several times: the places written beside its label (the
 * asset's `key: '…'`) and those with no label (the function may be either); when none is,
 * all of them. Counting too much is safe, too little is not: only a place labelled with
 * another key (another asset's spec) is left out.
 */
function narrow(found: Located | undefined, label: string | undefined): Place[] {
  if (found === undefined) return [];
  if (found.all.length < 2 || label === undefined) return found.all;
  if (found.byLabel === undefined) {
    found.byLabel = new Map();
    const unlabelled = found.all.filter((p) => p.fact.label === undefined);
    for (const place of found.all) {
      if (place.fact.label === undefined) continue;
      const list = found.byLabel.get(place.fact.label) ?? [...unlabelled];
      list.push(place);
      found.byLabel.set(place.fact.label, list);
    }
    found.unlabelled = unlabelled;
  }
  const matching = found.byLabel.get(label) ?? found.unlabelled ?? [];
  return matching.length > 0 ? matching : found.all;
}

/** Folds the parts of the files with most parts into one part per file until few enough remain. */
function fold(parts: Map<string, string>): Record<string, string> {
  if (parts.size > MAX_PARTS) foldFiles(parts);
  // In the order found (the roots first): the version sorts them, a record's order is moot.
  return Object.fromEntries(parts);
}

function foldFiles(parts: Map<string, string>): void {
  const byFile = new Map<string, string[]>();
  for (const key of parts.keys()) {
    const colon = key.lastIndexOf(':');
    if (colon <= 0 || key.startsWith('package ')) continue;
    const file = key.slice(0, colon);
    byFile.set(file, [...(byFile.get(file) ?? []), key]);
  }
  const files = [...byFile].sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1));
  let size = parts.size;
  for (const [file, keys] of files) {
    if (size <= MAX_PARTS) break;
    const content = keys
      .sort()
      .map((k) => `${k}=${parts.get(k)}`)
      .join('\n');
    for (const key of keys) parts.delete(key);
    parts.set(file, `module ${partHash(content)}`);
    size = parts.size;
  }
}
