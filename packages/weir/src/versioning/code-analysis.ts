/**
 * @module versioning/code-analysis
 * The entry to code analysis for derived code versions: a parser loaded on demand (so a
 * start whose analysis is cached never loads it), module facts, and the graph of parts.
 */
import type { Program } from 'acorn';
import { type FactsOptions, type ModuleFacts, moduleFacts, type Parse } from './_module-facts.js';

export {
  CodeGraph,
  type CodeIndex,
  type CodeModule,
  type CodeRoot,
  MAX_PARTS,
  type Resolved,
} from './_code-graph.js';
export {
  analyseScopes,
  type Binding,
  lookupName,
  type Reference,
  type Scope,
  type ScopeAnalysis,
  within,
} from './_js-scopes.js';
export { type FactsOptions, functionKey, type ModuleFacts } from './_module-facts.js';

/** Bumped whenever what `ModuleFacts` holds, or how it is computed, changes (cached facts are keyed by it). */
export const FACTS_FORMAT = 4;

export interface CodeAnalyser {
  /** Parses a compiled ES module (throws on a syntax error). */
  parse: Parse;
  facts(code: string, options?: FactsOptions): ModuleFacts;
}

let loading: Promise<CodeAnalyser> | undefined;

const WARM_UP = `import { a } from './a.mjs';
const N = 1;
function f(x) { const { y = N, ...z } = x; for (const k of [y]) if (k) return [k, z]; }
export const d = { key: 'k', checks: [a], materialize: async (ctx) => f({ y: await a(N) }) };
class C { static m() { return C; } }
export default C;`;

/**
 * Loads the parser and runs it once on a small module: started while esbuild compiles (a
 * wait for another process), it takes the parser's first-run cost off the critical path.
 */
export function warmCodeAnalyser(): Promise<void> {
  return loadCodeAnalyser().then((analyser) => {
    analyser.facts(WARM_UP);
  });
}

/** Loads the parser (acorn) once and returns the analyser. */
export function loadCodeAnalyser(): Promise<CodeAnalyser> {
  loading ??= import('acorn').then((acorn) => {
    const parse = (code: string): Program =>
      acorn.parse(code, { ecmaVersion: 'latest', sourceType: 'module' });
    return { parse, facts: (code, options) => moduleFacts(code, parse, options) };
  });
  return loading;
}
