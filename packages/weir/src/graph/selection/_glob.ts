/**
 * @module graph/selection/glob
 * Checks key and glob patterns segment by segment and compiles globs to anchored regular
 * expressions: `*` matches within one segment, a `**` segment matches any number of whole
 * segments (zero included, so `hydrology/**` also matches `hydrology`).
 */

/** Where a key or glob pattern is malformed: `offset` is 0-based within the pattern. */
export interface PatternProblem {
  readonly offset: number;
  readonly detail: string;
  readonly hint?: string;
}

const SEGMENT_START = /[A-Za-z0-9_*]/;
const SEGMENT_CHAR = /[A-Za-z0-9_.\-*]/;

/** The first problem in `pattern` as an asset key or glob, or `undefined` if it is well formed. */
export function checkPattern(pattern: string): PatternProblem | undefined {
  let offset = 0;
  for (const segment of pattern.split('/')) {
    const problem = checkSegment(segment, offset, pattern);
    if (problem !== undefined) return problem;
    offset += segment.length + 1;
  }
  return undefined;
}

function checkSegment(
  segment: string,
  offset: number,
  pattern: string,
): PatternProblem | undefined {
  if (segment === '') {
    const where =
      offset === 0 ? 'start with' : offset >= pattern.length ? 'end with' : "contain '//' in";
    return {
      offset,
      detail: `an asset key cannot ${where} '/'`,
      hint: "keys look like 'gauges/readings'",
    };
  }
  if (segment === '**') return undefined;
  const doubleStar = segment.indexOf('**');
  if (doubleStar >= 0) {
    return {
      offset: offset + doubleStar,
      detail: "'**' must be a whole segment",
      hint: "'*' matches within a segment; '**' between slashes matches any number of segments",
    };
  }
  if (!SEGMENT_START.test(segment[0]!)) {
    return { offset, detail: "a key segment must start with a letter, a digit or '_'" };
  }
  for (let i = 1; i < segment.length; i++) {
    const ch = segment[i]!;
    if (!SEGMENT_CHAR.test(ch)) {
      return { offset: offset + i, detail: `unexpected character '${ch}' in an asset key` };
    }
  }
  return undefined;
}

/** Whether a (well-formed) pattern is a glob rather than an exact key. */
export function isGlob(pattern: string): boolean {
  return pattern.includes('*');
}

/** Compiles a well-formed glob to an anchored `RegExp` over whole asset keys. */
export function compileGlob(pattern: string): RegExp {
  const segments = pattern.split('/').filter((s, i, all) => !(s === '**' && all[i - 1] === '**'));
  if (segments.every((s) => s === '**')) return /^[\s\S]*$/;
  let source = '';
  let afterSegment = false;
  for (const segment of segments) {
    if (segment === '**') {
      source += afterSegment ? '(?:/[^/]+)*' : '(?:[^/]+/)*';
      continue;
    }
    source += (afterSegment ? '/' : '') + segmentSource(segment);
    afterSegment = true;
  }
  return new RegExp(`^${source}$`);
}

function segmentSource(segment: string): string {
  return segment
    .replace(/\*+/g, '*')
    .split('*')
    .map((part) => part.replace(/[.-]/g, '\\$&'))
    .join('[^/]*');
}
