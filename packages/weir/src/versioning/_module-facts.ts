/**
 * @module versioning/_module-facts
 * What one compiled module holds for code versions: its top-level units (declarations and
 * statements) with a hash of each one's text and the names it uses, its imports and exports,
 * and every function in it (by a hash of the text `fn.toString()` returns) with the names it
 * uses. Plain JSON, so it can be cached by the module's content hash.
 */
import type { AnyNode, Identifier, Pattern, Program } from 'acorn';
import { sha256 } from '../hash.js';
import { analyseScopes, type Reference, type Scope } from './_js-scopes.js';

/**
 * A use, as a string: `name` (a top-level binding or import of the module), `ns.prop` (a
 * member of a namespace import), or `import:SPECIFIER` (a dynamic `import()` of a literal).
 */
export type Use = string;

export interface UnitFact {
  /** The names it declares (`normalizePhone`, `{ a, b }`), `default`, or `(statement N)`. */
  label: string;
  /** `function`, `class`, `const`, `let`, `var`, `default` or `statement`. */
  kind: string;
  hash: string;
  uses: Use[];
}

export interface ImportFact {
  from: string;
  /** The imported name; `*` for a namespace import. */
  name: string;
}

export type ExportFact = { local: string } | ImportFact;

export interface FunctionFact {
  /** Where its text (what `fn.toString()` returns) is in the module: `code.slice(start, end)`. */
  start: number;
  end: number;
  /** A hash of that text. */
  hash: string;
  /** The top-level unit it sits in. */
  unit: number;
  uses: Use[];
  /** It reads a binding of an enclosing function or block: its whole unit counts. */
  enclosing?: true;
  /** A `materialize` written beside `checks` in one object literal: that list's code. */
  checks?: { hash: string; uses: Use[]; enclosing?: true };
  /**
   * The string literal written beside it in one object literal: the `key` of a
   * `materialize`, the `name` of a check's `evaluate`. Tells apart functions of equal text.
   */
  label?: string;
}

/**
 * An asset spec (`{ key: '…', materialize: … }`) whose `materialize` is not a function written
 * there but an expression that makes or names one (`compute`, `timed(() => …)`,
 * `work.bind(null, 1)`): its text and uses count for the asset with that key, as the checks
 * written beside it do, since the function itself may be found elsewhere or nowhere.
 */
export interface SpecFact {
  /** The `key` written beside `materialize`. */
  label: string;
  hash: string;
  unit: number;
  uses: Use[];
  enclosing?: true;
  checks?: { hash: string; uses: Use[]; enclosing?: true };
}

export interface ModuleFacts {
  units: UnitFact[];
  /** Top-level name → index of the unit declaring it. */
  bindings: Record<string, number>;
  imports: Record<string, ImportFact>;
  exports: Record<string, ExportFact>;
  /** Modules re-exported whole (`export * from`). */
  stars: string[];
  /** Every function, in source order. */
  functions: FunctionFact[];
  specs: SpecFact[];
}

export interface FactsOptions {
  /** Top-level functions hashed by name only (generated helpers whose text holds absolute paths). */
  opaque?: (name: string) => boolean;
}

export type Parse = (code: string) => Program;

/** The index key of a function's text (what `fn.toString()` returns). */
export function functionKey(text: string): string {
  return sha256(text).slice(0, 24);
}

/** A short hash of a part's text. */
export function partHash(text: string): string {
  return sha256(text).slice(0, 12);
}

/** The name a default export without one gets in `bindings`. */
export const DEFAULT_LOCAL = '*default*';

export function own<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** Analyses one compiled module. Throws when it does not parse. */
export function moduleFacts(code: string, parse: Parse, options: FactsOptions = {}): ModuleFacts {
  const program = parse(code);
  const analysis = analyseScopes(program);
  const context = new Context(code, analysis.module, analysis.references);
  // First: it also notes the member accesses and dynamic imports that uses() reports.
  const functions = context.functions(program);
  const facts: ModuleFacts = {
    units: [],
    bindings: {},
    imports: {},
    exports: {},
    stars: [],
    functions: [],
    specs: [],
  };
  const ranges: Array<[number, number]> = [];
  let statements = 0;
  const addUnit = (node: AnyNode, label: string, kind: string, names: string[], text: string) => {
    const index = facts.units.length;
    const opaque = kind === 'function' && options.opaque?.(label) === true;
    facts.units.push({
      label,
      kind,
      hash: partHash(opaque ? label : `${kind} ${text}`),
      uses: context.uses(node.start, node.end).uses,
    });
    ranges.push([node.start, node.end]);
    for (const name of names) facts.bindings[name] = index;
  };
  const declaration = (node: AnyNode): string[] => {
    if (node.type === 'VariableDeclaration') {
      const names: string[] = [];
      for (const d of node.declarations) {
        const declared = patternNames(d.id);
        names.push(...declared);
        const label = d.id.type === 'Identifier' ? d.id.name : `{ ${declared.join(', ')} }`;
        addUnit(d, label, node.kind, declared, code.slice(d.start, d.end));
      }
      return names;
    }
    if (
      (node.type === 'FunctionDeclaration' || node.type === 'ClassDeclaration') &&
      node.id !== null
    ) {
      const kind = node.type === 'FunctionDeclaration' ? 'function' : 'class';
      addUnit(node, node.id.name, kind, [node.id.name], code.slice(node.start, node.end));
      return [node.id.name];
    }
    statements += 1;
    addUnit(node, `(statement ${statements})`, 'statement', [], code.slice(node.start, node.end));
    return [];
  };
  for (const statement of program.body) {
    switch (statement.type) {
      case 'ImportDeclaration':
        for (const s of statement.specifiers) {
          facts.imports[s.local.name] = {
            from: String(statement.source.value),
            name:
              s.type === 'ImportNamespaceSpecifier'
                ? '*'
                : s.type === 'ImportDefaultSpecifier'
                  ? 'default'
                  : nameOf(s.imported),
          };
        }
        break;
      case 'ExportNamedDeclaration':
        if (statement.declaration) {
          for (const name of declaration(statement.declaration))
            facts.exports[name] = { local: name };
        } else {
          for (const s of statement.specifiers) {
            facts.exports[nameOf(s.exported)] = statement.source
              ? { from: String(statement.source.value), name: nameOf(s.local) }
              : { local: nameOf(s.local) };
          }
        }
        break;
      case 'ExportDefaultDeclaration': {
        const d = statement.declaration;
        if ((d.type === 'FunctionDeclaration' || d.type === 'ClassDeclaration') && d.id) {
          declaration(d);
          facts.exports.default = { local: d.id.name };
        } else {
          addUnit(d, 'default', 'default', [DEFAULT_LOCAL], code.slice(d.start, d.end));
          facts.exports.default = { local: DEFAULT_LOCAL };
        }
        break;
      }
      case 'ExportAllDeclaration':
        if (statement.exported)
          facts.exports[nameOf(statement.exported)] = {
            from: String(statement.source.value),
            name: '*',
          };
        else facts.stars.push(String(statement.source.value));
        break;
      default:
        declaration(statement);
    }
  }
  for (const found of functions) {
    const unit = unitAt(ranges, found.node.start);
    if (unit === undefined) continue;
    const { uses, enclosing } = context.uses(found.node.start, found.node.end);
    const text = code.slice(found.start, found.node.end);
    const fact: FunctionFact = {
      start: found.start,
      end: found.node.end,
      hash: partHash(text),
      unit,
      uses,
    };
    if (enclosing) fact.enclosing = true;
    if (found.label !== undefined) fact.label = found.label;
    if (found.checks !== undefined) {
      const checks = context.uses(found.checks.start, found.checks.end);
      fact.checks = {
        hash: partHash(code.slice(found.checks.start, found.checks.end)),
        uses: checks.uses,
        ...(checks.enclosing ? { enclosing: true as const } : {}),
      };
    }
    facts.functions.push(fact);
  }
  for (const spec of context.specs) {
    const unit = unitAt(ranges, spec.value.start);
    if (unit === undefined) continue;
    const fact: SpecFact = { label: spec.label, unit, ...context.part(spec.value) };
    if (spec.checks !== undefined) fact.checks = context.part(spec.checks);
    facts.specs.push(fact);
  }
  return facts;
}

interface FoundFunction {
  node: AnyNode;
  /** Where what `fn.toString()` returns for it starts (a method's text starts at its name). */
  start: number;
  /** The `checks` property beside a `materialize` property. */
  checks?: AnyNode;
  label?: string;
}

class Context {
  /** References to module-level bindings, by position. */
  private readonly sorted: Reference[];
  /** `ns.prop` for an identifier that is the object of a non-computed member access. */
  private readonly members = new Map<Identifier, string>();
  private readonly dynamicImports: Array<{ start: number; specifier: string }> = [];
  /** Asset specs whose `materialize` is not a function written there. */
  readonly specs: Array<{ label: string; value: AnyNode; checks?: AnyNode }> = [];

  constructor(
    private readonly code: string,
    private readonly module: Scope,
    references: Reference[],
  ) {
    this.sorted = references
      .filter((r) => r.binding !== undefined)
      .sort((a, b) => a.id.start - b.id.start);
  }

  /** The uses of module-level names in [start, end), and whether it reads an enclosing scope's binding. */
  uses(start: number, end: number): { uses: Use[]; enclosing: boolean } {
    const found = new Set<Use>();
    let enclosing = false;
    for (let i = lowerBound(this.sorted, start); i < this.sorted.length; i++) {
      const reference = this.sorted[i]!;
      if (reference.id.start >= end) break;
      const scope = reference.binding!.scope;
      if (scope === this.module) {
        const member = this.members.get(reference.id);
        found.add(member ?? reference.id.name);
      } else if (scope.node.start < start || scope.node.end > end) {
        enclosing = true;
      }
    }
    for (const d of this.dynamicImports) {
      if (d.start >= start && d.start < end) found.add(`import:${d.specifier}`);
    }
    return { uses: [...found].sort(), enclosing };
  }

  /** The hash of a node's text and the names it uses. */
  part(node: AnyNode): { hash: string; uses: Use[]; enclosing?: true } {
    const { uses, enclosing } = this.uses(node.start, node.end);
    return {
      hash: partHash(this.code.slice(node.start, node.end)),
      uses,
      ...(enclosing ? { enclosing: true as const } : {}),
    };
  }

  /** Every function of the program (and notes member accesses and dynamic imports on the way). */
  functions(program: Program): FoundFunction[] {
    const found: FoundFunction[] = [];
    const visit = (node: AnyNode, parent: AnyNode | undefined, grand: AnyNode | undefined) => {
      switch (node.type) {
        case 'FunctionDeclaration':
        case 'FunctionExpression':
        case 'ArrowFunctionExpression':
          found.push(this.functionAt(node, parent, grand));
          break;
        case 'MemberExpression':
          if (
            !node.computed &&
            node.object.type === 'Identifier' &&
            node.property.type === 'Identifier'
          )
            this.members.set(node.object, `${node.object.name}.${node.property.name}`);
          break;
        case 'ImportExpression':
          if (node.source.type === 'Literal' && typeof node.source.value === 'string')
            this.dynamicImports.push({ start: node.start, specifier: node.source.value });
          break;
        case 'ObjectExpression':
          this.specAt(node);
          break;
      }
      for (const [key, value] of Object.entries(node)) {
        if (key === 'loc') continue;
        if (Array.isArray(value)) {
          for (const item of value) if (isNode(item)) visit(item, node, parent);
        } else if (isNode(value)) visit(value, node, parent);
      }
    };
    visit(program, undefined, undefined);
    return found;
  }

  /** Notes `{ key: '…', materialize: EXPRESSION }` where the expression is not a function. */
  private specAt(node: AnyNode & { type: 'ObjectExpression' }): void {
    let label: string | undefined;
    let value: AnyNode | undefined;
    let checks: AnyNode | undefined;
    for (const p of node.properties) {
      if (p.type !== 'Property' || p.computed || p.kind !== 'init' || p.method) continue;
      const name = keyName(p.key);
      if (name === 'key' && p.value.type === 'Literal' && typeof p.value.value === 'string')
        label = p.value.value;
      else if (name === 'materialize') value = p.value;
      else if (name === 'checks') checks = p.value;
    }
    if (label === undefined || value === undefined) return;
    if (value.type === 'ArrowFunctionExpression' || value.type === 'FunctionExpression') return;
    this.specs.push({ label, value, ...(checks === undefined ? {} : { checks }) });
  }

  private functionAt(node: AnyNode, parent: AnyNode | undefined, grand: AnyNode | undefined) {
    let start = node.start;
    if (parent?.type === 'Property' && (parent.method || parent.kind !== 'init')) {
      start = parent.start;
    } else if (parent?.type === 'MethodDefinition') {
      const leading = /^static\s+/.exec(this.code.slice(parent.start, parent.start + 12));
      start = parent.start + (parent.static && leading ? leading[0].length : 0);
    }
    const result: FoundFunction = { node, start };
    if (parent?.type !== 'Property' || parent.value !== node || parent.computed) return result;
    if (grand?.type !== 'ObjectExpression') return result;
    // `materialize` beside `key: '…'` and `checks`, `evaluate` beside `name: '…'`.
    const own = keyName(parent.key);
    const labelKey = own === 'materialize' ? 'key' : own === 'evaluate' ? 'name' : undefined;
    if (labelKey === undefined) return result;
    for (const p of grand.properties) {
      if (p.type !== 'Property' || p.computed) continue;
      const name = keyName(p.key);
      if (name === 'checks' && own === 'materialize') result.checks = p.value;
      if (name === labelKey && p.value.type === 'Literal' && typeof p.value.value === 'string')
        result.label = p.value.value;
    }
    return result;
  }
}

function keyName(key: AnyNode): string | undefined {
  if (key.type === 'Identifier') return key.name;
  if (key.type === 'Literal' && typeof key.value === 'string') return key.value;
  return undefined;
}

function nameOf(node: Identifier | { type: 'Literal'; value?: unknown }): string {
  return node.type === 'Identifier' ? node.name : String(node.value);
}

function patternNames(pattern: Pattern): string[] {
  switch (pattern.type) {
    case 'Identifier':
      return [pattern.name];
    case 'ObjectPattern':
      return pattern.properties.flatMap((p) =>
        patternNames(p.type === 'RestElement' ? p.argument : p.value),
      );
    case 'ArrayPattern':
      return pattern.elements.flatMap((e) => (e ? patternNames(e) : []));
    case 'AssignmentPattern':
      return patternNames(pattern.left);
    case 'RestElement':
      return patternNames(pattern.argument);
    default:
      return [];
  }
}

function unitAt(ranges: Array<[number, number]>, position: number): number | undefined {
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [start, end] = ranges[mid]!;
    if (position < start) hi = mid - 1;
    else if (position >= end) lo = mid + 1;
    else return mid;
  }
  return undefined;
}

function lowerBound(sorted: Reference[], start: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]!.id.start < start) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function isNode(value: unknown): value is AnyNode {
  return typeof value === 'object' && value !== null && typeof (value as AnyNode).type === 'string';
}
