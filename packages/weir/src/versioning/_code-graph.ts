/**
 * @module versioning/_code-graph
 * What a function can reach in a project's modules, as named parts with hashes: the function
 * itself, the top-level units it uses (transitively, across imports, re-exports and namespace
 * members), whole modules where finer is not sound, and packages by version.
 */
import {
  type FunctionFact,
  functionKey,
  type ImportFact,
  type ModuleFacts,
  own,
  partHash,
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
}

/** Parts beyond this many are folded into one part per file (most parts first). */
export const MAX_PARTS = 64;

export class CodeGraph {
  private readonly functions = new Map<string, Array<{ module: string; fact: FunctionFact }>>();
  private readonly effects = new Map<string, Map<number, number[]>>();

  constructor(private readonly index: CodeIndex) {
    for (const [id, { facts }] of index.modules) {
      for (const [key, list] of Object.entries(facts.functions)) {
        const entry = this.functions.get(key) ?? [];
        this.functions.set(key, entry);
        for (const fact of list) entry.push({ module: id, fact });
      }
    }
  }

  /** The parts of a code version reaching from these functions, keyed by what `why` shows. */
  parts(roots: readonly CodeRoot[]): Record<string, string> {
    const walk = new Walk(this.index, (m) => this.effectsOf(m));
    for (const root of roots) {
      const key = functionKey(root.text);
      const found = this.functions.get(key);
      walk.parts.set(root.part, `${found ? 'function' : 'unlocated'} ${key.slice(0, 12)}`);
      for (const { module, fact } of found ?? []) walk.function(module, fact, root.part);
    }
    return fold(walk.parts);
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

  function(module: string, fact: FunctionFact, part: string): void {
    for (const use of fact.uses) this.use(module, use);
    if (fact.enclosing) this.unit(module, fact.unit);
    if (fact.checks !== undefined && part === 'materialize') {
      this.parts.set('checks', `code ${fact.checks.hash}`);
      for (const use of fact.checks.uses) this.use(module, use);
      if (fact.checks.enclosing) this.unit(module, fact.unit);
    }
  }

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

/** Folds the parts of the files with most parts into one part per file until few enough remain. */
function fold(parts: Map<string, string>): Record<string, string> {
  if (parts.size > MAX_PARTS) {
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
  return Object.fromEntries([...parts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
