/**
 * @module cli/_restore-names
 * Gives back the user's own names to variables esbuild renamed. esbuild never lets a nested
 * variable shadow a top-level one, so `const a` inside a function becomes `a2` when the file
 * also has a top-level `a`, and a user's error reads `a2.toUpperCase is not a function`; no
 * option turns that off. The source map names the original of each renamed identifier: each
 * binding is renamed back where that captures nothing (checked by scope analysis, then
 * re-checked on the result), and the map's columns are shifted to match.
 */
import type { Identifier } from 'acorn';
import {
  analyseScopes,
  type Binding,
  type CodeAnalyser,
  lookupName,
  type Reference,
  type Scope,
  type ScopeAnalysis,
  within,
} from '../versioning/index.js';
import { decodeMappings, encodeMappings, type Segment } from './_source-map.js';

export interface SourceMapJson {
  names?: string[];
  mappings: string;
  [key: string]: unknown;
}

/** `code` and its source map with renamed bindings given their original names where safe. */
export function restoreNames(
  code: string,
  map: SourceMapJson,
  analyser: CodeAnalyser,
): { code: string; map: SourceMapJson } {
  const names = map.names ?? [];
  if (names.length === 0) return { code, map };
  const analysis = analyseScopes(analyser.parse(code));
  const lines = decodeMappings(map.mappings);
  const starts = lineStarts(code);
  const originals = originalNames(analysis, lines, starts, names);
  const renamed = renameBindings(analysis, originals);
  if (renamed.length === 0) return { code, map };
  const edits = editsFor(analysis, renamed);
  const restored = applyEdits(code, edits);
  if (!parsesTheSame(analysis, restored, analyser)) return { code, map };
  return { code: restored, map: { ...map, mappings: encodeMappings(shift(lines, edits, starts)) } };
}

/**
 * Names no binding of a module may have, though the map may name one so: esbuild calls the
 * binding of `export { default as x } from './y'` `default2`, and the map says `default`.
 */
const RESERVED = new Set(
  (
    'await break case catch class const continue debugger default delete do else enum export ' +
    'extends false finally for function if implements import in instanceof interface let new ' +
    'null package private protected public return static super switch this throw true try ' +
    'typeof var void while with yield arguments eval'
  ).split(' '),
);

function parsesTheSame(analysis: ScopeAnalysis, restored: string, analyser: CodeAnalyser): boolean {
  try {
    return sameResolution(analysis, analyseScopes(analyser.parse(restored)));
  } catch {
    return false;
  }
}

/** Each binding whose identifiers the map says were named otherwise, with that name. */
function originalNames(
  analysis: ScopeAnalysis,
  lines: Segment[][],
  starts: number[],
  names: string[],
): Map<Binding, string> {
  const at = new Map<number, string>();
  lines.forEach((segments, line) => {
    for (const s of segments) if (s.length === 5) at.set(starts[line]! + s[0]!, names[s[4]!]!);
  });
  const found = new Map<Binding, string>();
  const note = (id: Identifier, binding: Binding | undefined) => {
    const original = at.get(id.start);
    if (binding === undefined || original === undefined || original === id.name) return;
    if (binding.declarations.length === 0 || found.has(binding)) return;
    if (/^[A-Za-z_$][\w$]*$/.test(original) && !RESERVED.has(original)) {
      found.set(binding, original);
    }
  };
  for (const scope of analysis.scopes)
    for (const binding of scope.bindings.values())
      for (const id of binding.declarations) note(id, binding);
  for (const r of analysis.references) note(r.id, r.binding);
  return found;
}

/** Renames what can be renamed without capturing any other reference; returns those bindings. */
function renameBindings(analysis: ScopeAnalysis, originals: Map<Binding, string>): Binding[] {
  const byBinding = new Map<Binding, Reference[]>();
  for (const r of analysis.references) {
    if (r.binding !== undefined) byBinding.set(r.binding, [...(byBinding.get(r.binding) ?? []), r]);
  }
  const renamed: Binding[] = [];
  for (const [binding, name] of originals) {
    const refs = byBinding.get(binding) ?? [];
    if (!canRename(analysis, binding, refs, name)) continue;
    binding.scope.bindings.delete(binding.name);
    binding.name = name;
    binding.scope.bindings.set(name, binding);
    renamed.push(binding);
  }
  return renamed;
}

function canRename(
  analysis: ScopeAnalysis,
  binding: Binding,
  refs: readonly Reference[],
  name: string,
): boolean {
  // Another binding of that name in the same scope.
  if (binding.scope.bindings.has(name)) return false;
  // A scope between a reference and its binding that declares the name would capture it.
  for (const r of refs) {
    for (let s: Scope | undefined = r.scope; s !== binding.scope && s !== undefined; s = s.parent) {
      if (s.bindings.has(name)) return false;
    }
  }
  // A reference to that name inside the binding's scope that resolves outside it would be captured.
  for (const r of analysis.references) {
    const target = r.binding;
    const current = target === undefined ? r.id.name : target.name;
    if (current !== name || !within(r.scope, binding.scope)) continue;
    if (target === undefined || !within(target.scope, binding.scope)) return false;
    if (lookupName(r.scope, name) !== target) return false;
  }
  return true;
}

interface Edit {
  start: number;
  end: number;
  text: string;
}

function editsFor(analysis: ScopeAnalysis, renamed: readonly Binding[]): Edit[] {
  const set = new Set(renamed);
  const ids: Array<[Identifier, Binding]> = [];
  for (const binding of renamed) for (const id of binding.declarations) ids.push([id, binding]);
  for (const r of analysis.references)
    if (r.binding && set.has(r.binding)) ids.push([r.id, r.binding]);
  const seen = new Set<number>();
  const edits: Edit[] = [];
  for (const [id, binding] of ids) {
    if (seen.has(id.start)) continue;
    seen.add(id.start);
    const alias = analysis.aliases.get(id);
    const text =
      alias === 'property'
        ? `${id.name}: ${binding.name}`
        : alias === 'export'
          ? `${binding.name} as ${id.name}`
          : alias === 'import'
            ? `${id.name} as ${binding.name}`
            : binding.name;
    edits.push({ start: id.start, end: id.end, text });
  }
  return edits.sort((a, b) => a.start - b.start);
}

function applyEdits(code: string, edits: readonly Edit[]): string {
  let out = '';
  let at = 0;
  for (const edit of edits) {
    out += code.slice(at, edit.start) + edit.text;
    at = edit.end;
  }
  return out + code.slice(at);
}

/** Every reference resolves to the binding declared at the same place as before. */
function sameResolution(before: ScopeAnalysis, after: ScopeAnalysis): boolean {
  if (before.references.length !== after.references.length) return false;
  // A binding is known by the rank of its first declaration (edits keep their order), or,
  // implicit (`arguments`), by its scope.
  const order = (analysis: ScopeAnalysis) => {
    const index = new Map<Binding, string>();
    const declared: Binding[] = [];
    analysis.scopes.forEach((scope, i) => {
      for (const b of scope.bindings.values()) {
        if (b.declarations.length === 0) index.set(b, `${i}:${b.name}`);
        else declared.push(b);
      }
    });
    declared.sort((x, y) => x.declarations[0]!.start - y.declarations[0]!.start);
    declared.forEach((b, rank) => {
      index.set(b, String(rank));
    });
    return index;
  };
  const a = order(before);
  const b = order(after);
  return before.references.every((r, i) => {
    const other = after.references[i]!;
    if (r.binding === undefined || other.binding === undefined)
      return r.binding === other.binding && r.id.name === other.id.name;
    return a.get(r.binding) === b.get(other.binding);
  });
}

/** Shifts generated columns after each edit on its line. */
function shift(lines: Segment[][], edits: readonly Edit[], starts: number[]): Segment[][] {
  const byLine = new Map<number, Edit[]>();
  for (const edit of edits) {
    const line = lineOf(starts, edit.start);
    byLine.set(line, [...(byLine.get(line) ?? []), edit]);
  }
  return lines.map((segments, line) => {
    const onLine = byLine.get(line);
    if (onLine === undefined) return segments;
    return segments.map((segment) => {
      const column = segment[0]!;
      let delta = 0;
      for (const edit of onLine) {
        if (edit.end - starts[line]! <= column) delta += edit.text.length - (edit.end - edit.start);
      }
      return [column + delta, ...segment.slice(1)];
    });
  });
}

function lineStarts(code: string): number[] {
  const starts = [0];
  for (let i = code.indexOf('\n'); i !== -1; i = code.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

function lineOf(starts: number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
